//! Site-wide reads: news, the front page, the API root and health, counts, statistics and
//! username checks.

use scratchkit_model::{
    ApiRoot, Featured, Health, News, ProjectCount, StatisticsDaily, StatisticsMonthly,
    StatisticsMonthlyGa, UsernameCheck,
};

use scratchkit_model::PasswordCheck;
use secrecy::{ExposeSecret, SecretString};

use crate::client::Client;
use crate::error::Result;
use crate::hosts::Host;
use crate::list::ListRequest;
use crate::request::RequestSpec;
use crate::validate;

pub(crate) fn news_spec() -> RequestSpec {
    RequestSpec::get(Host::Api, "/news")
}

pub(crate) fn featured_spec() -> RequestSpec {
    RequestSpec::get(Host::Api, "/proxy/featured")
}

pub(crate) fn api_root_spec() -> RequestSpec {
    RequestSpec::get(Host::Api, "/")
}

pub(crate) fn health_spec() -> RequestSpec {
    RequestSpec::get(Host::Api, "/health")
}

pub(crate) fn project_count_spec() -> RequestSpec {
    RequestSpec::get(Host::Api, "/projects/count/all")
}

pub(crate) fn check_username_spec(username: &str) -> Result<RequestSpec> {
    let name = validate::not_blank("username", username)?;
    let path = format!("/accounts/checkusername/{}/", validate::segment(name));
    Ok(RequestSpec::get(Host::Api, path))
}

impl Client {
    /// Asks Scratch whether it would accept `password` for a new account (the strength check
    /// of the registration form). No login needed.
    ///
    /// `POST https://api.scratch.mit.edu/accounts/checkpassword/` with `{"password": …}`.
    ///
    /// ```no_run
    /// # async fn demo(client: scratchkit::Client) -> scratchkit::Result<()> {
    /// use secrecy::SecretString;
    ///
    /// let check = client.check_password(&SecretString::from("correct horse battery")).await?;
    /// println!("{}", if check.is_valid() { "fine" } else { "too weak" });
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty password (nothing sent); any
    /// request error.
    pub async fn check_password(&self, password: &SecretString) -> Result<PasswordCheck> {
        crate::me::require_password("password", password)?;
        let spec = RequestSpec::post(Host::Api, "/accounts/checkpassword/")
            .json(&serde_json::json!({ "password": password.expose_secret() }))?;
        self.send_json(spec).await
    }

    /// Scratch's news items (the front page's "Scratch News"), newest first.
    ///
    /// `GET https://api.scratch.mit.edu/news?offset=&limit=`
    ///
    /// # Errors
    /// When awaited or streamed: a bad limit, or any request [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// for item in scratchkit::Client::new().news().limit(3).await? {
    ///     println!("{}: {}", item.headline, item.url);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn news(&self) -> ListRequest<News> {
        ListRequest::ready(self.clone(), Ok(news_spec()))
    }

    /// The seven rows of the front page (featured projects and studios, most loved, most
    /// remixed, newest, curated, design studio).
    ///
    /// `GET https://api.scratch.mit.edu/proxy/featured`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let front = scratchkit::Client::new().featured().await?;
    /// for project in &front.community_featured_projects {
    ///     println!("{} by {}", project.title, project.creator);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn featured(&self) -> Result<Featured> {
        self.send_json(featured_spec()).await
    }

    /// The API's self-description (`{"api","help","website"}`).
    ///
    /// `GET https://api.scratch.mit.edu/`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    pub async fn api_root(&self) -> Result<ApiRoot> {
        self.send_json(api_root_spec()).await
    }

    /// The API server's health (uptime, load, database pools).
    ///
    /// `GET https://api.scratch.mit.edu/health`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let health = scratchkit::Client::new().health().await?;
    /// println!("up for {:?} s", health.uptime);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn health(&self) -> Result<Health> {
        self.send_json(health_spec()).await
    }

    /// The number of shared projects on the site.
    ///
    /// `GET https://api.scratch.mit.edu/projects/count/all`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// println!("{} shared projects", scratchkit::Client::new().shared_project_count().await?);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn shared_project_count(&self) -> Result<u64> {
        let count: ProjectCount = self.send_json(project_count_spec()).await?;
        Ok(count.count)
    }

    /// Whether `username` can be registered: free, taken, invalid or refused by the word
    /// filter ([`UsernameCheck::is_available`]). The name is sent as given (encoded), so that
    /// the server judges it.
    ///
    /// `GET https://api.scratch.mit.edu/accounts/checkusername/<username>/`
    ///
    /// # Errors
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty name (nothing sent),
    /// else any request [`Error`](crate::Error).
    ///
    /// ```no_run
    /// # async fn demo() -> scratchkit::Result<()> {
    /// let check = scratchkit::Client::new().check_username("my_new_name").await?;
    /// println!("{}: {}", check.username, if check.is_available() { "free" } else { "not available" });
    /// # Ok(())
    /// # }
    /// ```
    pub async fn check_username(&self, username: &str) -> Result<UsernameCheck> {
        self.send_json(check_username_spec(username)?).await
    }
}

/// The site statistics, from [`Client::statistics`].
#[derive(Debug, Clone)]
pub struct Statistics {
    client: Client,
}

pub(crate) fn statistics_spec(kind: &str) -> RequestSpec {
    RequestSpec::get(Host::Site, format!("/statistics/data/{kind}/"))
}

impl Statistics {
    /// A handler sending with `client` (see the constructor on [`Client`]).
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Site totals: projects, users, studios, comments.
    ///
    /// `GET https://scratch.mit.edu/statistics/data/daily/`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    pub async fn daily(&self) -> Result<StatisticsDaily> {
        self.client.send_json(statistics_spec("daily")).await
    }

    /// The chart data of the statistics page (monthly activity, active users, ages…).
    ///
    /// `GET https://scratch.mit.edu/statistics/data/monthly/`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    pub async fn monthly(&self) -> Result<StatisticsMonthly> {
        self.client.send_json(statistics_spec("monthly")).await
    }

    /// Last month's web analytics totals (page views, users, sessions).
    ///
    /// `GET https://scratch.mit.edu/statistics/data/monthly-ga/`
    ///
    /// # Errors
    /// Any request [`Error`](crate::Error).
    pub async fn monthly_ga(&self) -> Result<StatisticsMonthlyGa> {
        self.client.send_json(statistics_spec("monthly-ga")).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::test_support::{clients, get_url};

    fn url(client: &Client, spec: RequestSpec) -> String {
        get_url(&client.build_request(&spec).unwrap())
    }

    #[test]
    fn every_request() {
        for (client, api, site) in clients() {
            let req = client.news().limit(3).build().unwrap();
            assert_eq!(req.url().as_str(), format!("{api}/news?offset=0&limit=3"));
            assert_eq!(
                url(&client, featured_spec()),
                format!("{api}/proxy/featured")
            );
            assert_eq!(url(&client, api_root_spec()), format!("{api}/"));
            assert_eq!(url(&client, health_spec()), format!("{api}/health"));
            assert_eq!(
                url(&client, project_count_spec()),
                format!("{api}/projects/count/all")
            );
            assert_eq!(
                url(&client, check_username_spec("new_name").unwrap()),
                format!("{api}/accounts/checkusername/new_name/")
            );
            assert_eq!(
                url(&client, check_username_spec("a b/c").unwrap()),
                format!("{api}/accounts/checkusername/a%20b%2Fc/")
            );
            for kind in ["daily", "monthly", "monthly-ga"] {
                assert_eq!(
                    url(&client, statistics_spec(kind)),
                    format!("{site}/statistics/data/{kind}/")
                );
            }
        }
    }

    #[test]
    fn empty_username_check_is_invalid() {
        assert!(matches!(
            check_username_spec(" "),
            Err(Error::InvalidInput {
                what: "username",
                ..
            })
        ));
    }
}
