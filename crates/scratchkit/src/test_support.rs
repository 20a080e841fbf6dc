//! Helpers shared by the unit tests of the resource modules.

use http::Method;

use crate::client::Client;
use crate::hosts::Hosts;
use crate::transport::Outgoing;

/// A live-site client and a sandbox client, each with its api and site base URLs.
pub(crate) fn clients() -> [(Client, &'static str, &'static str); 2] {
    [
        (
            Client::new(),
            "https://api.scratch.mit.edu",
            "https://scratch.mit.edu",
        ),
        (
            Client::builder()
                .hosts(Hosts::sandbox("127.0.0.1:4000".parse().unwrap()))
                .build()
                .unwrap(),
            "http://127.0.0.1:4000/api",
            "http://127.0.0.1:4000/site",
        ),
    ]
}

/// The URL of a GET request (the method is checked).
pub(crate) fn get_url(req: &Outgoing) -> String {
    assert_eq!(req.method(), Method::GET);
    req.url().to_string()
}
