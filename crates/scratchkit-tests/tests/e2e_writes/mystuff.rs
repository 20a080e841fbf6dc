//! My Stuff: the project lists follow share, unshare and trash; studios; emptying the trash.

use scratchkit::{Error, MyStuffFilter, MyStuffSort};
use scratchkit_sandbox::DEMO_PASSWORD;
use scratchkit_tests::TestSandbox;
use secrecy::SecretString;

async fn listed(client: &scratchkit::Client, filter: MyStuffFilter, id: u64) -> bool {
    let mut page = 1;
    loop {
        let items = client
            .me()
            .projects(filter, MyStuffSort::LastModified, page)
            .await
            .unwrap();
        if items.iter().any(|p| p.pk.get() == id) {
            return true;
        }
        if items.len() < 40 {
            return false;
        }
        page += 1;
    }
}

#[tokio::test]
async fn lists_follow_share_unshare_and_trash() {
    let sb = TestSandbox::start().await;
    let id = sb
        .create_project("PMJ_Studio", "Work in progress", false)
        .await;
    let client = sb.logged_in("PMJ_Studio").await;
    let project = client.project(id);

    assert!(listed(&client, MyStuffFilter::NotShared, id).await);
    assert!(!listed(&client, MyStuffFilter::Shared, id).await);
    assert!(listed(&client, MyStuffFilter::All, id).await);

    project.share().await.unwrap();
    assert!(listed(&client, MyStuffFilter::Shared, id).await);
    assert!(!listed(&client, MyStuffFilter::NotShared, id).await);

    project.unshare().await.unwrap();
    assert!(listed(&client, MyStuffFilter::NotShared, id).await);

    project.trash().await.unwrap();
    assert!(listed(&client, MyStuffFilter::Trashed, id).await);
    assert!(!listed(&client, MyStuffFilter::All, id).await);

    let err = client
        .me()
        .empty_trash(&SecretString::from("wrong-password"))
        .await
        .unwrap_err();
    assert!(
        err.status().is_some() || matches!(err, Error::Refused { .. }),
        "{err:?}"
    );
    assert!(
        listed(&client, MyStuffFilter::Trashed, id).await,
        "kept after a refusal"
    );

    let emptied = client
        .me()
        .empty_trash(&SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap();
    assert!(emptied >= 1);
    assert!(!listed(&client, MyStuffFilter::Trashed, id).await);
    let err = sb.new_client().project(id).info().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn my_studios_lists_a_created_studio() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("Maximouse").await;
    let studio = client.create_studio().await.unwrap();
    let mine = client
        .me()
        .studios(MyStuffSort::LastModified, 1)
        .await
        .unwrap();
    assert!(
        mine.iter().any(|s| s.pk == studio.id()
            && s.fields
                .owner
                .as_ref()
                .is_some_and(|o| o.username == "Maximouse")),
        "{mine:?}"
    );
    // Past the last page: empty, not an error.
    assert!(
        client
            .me()
            .studios(MyStuffSort::LastModified, 99)
            .await
            .unwrap()
            .is_empty()
    );
}
