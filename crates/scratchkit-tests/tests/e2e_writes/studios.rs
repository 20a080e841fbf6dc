//! Studio writes read back: creation, edits, open/closed, commenting, follow, projects, the
//! curator flow, host transfer and deletion.

use futures_util::TryStreamExt;
use scratchkit::Error;
use scratchkit::model::{StudioProject, User};
use scratchkit_sandbox::DEMO_PASSWORD;
use scratchkit_tests::TestSandbox;
use secrecy::SecretString;

use super::projects::PNG_1X1;

async fn names(list: scratchkit::ListRequest<User>) -> Vec<String> {
    let users: Vec<User> = list.stream().try_collect().await.unwrap();
    users.into_iter().map(|u| u.username).collect()
}

#[tokio::test]
async fn create_edit_and_delete_a_studio() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("griffpatch").await;
    let studio = client.create_studio().await.unwrap();
    let info = studio.info().await.unwrap();
    assert_eq!(info.host.map(|h| h.get()), Some(1_882_674));

    studio.set_title("Platformers").await.unwrap();
    studio
        .set_description("Only platformers, please")
        .await
        .unwrap();
    let info = sb.new_client().studio(studio.id()).info().await.unwrap();
    assert_eq!(info.title, "Platformers");
    assert_eq!(info.description, "Only platformers, please");

    studio.open_to_everyone().await.unwrap();
    assert!(studio.info().await.unwrap().open_to_all);
    studio.close_to_everyone().await.unwrap();
    assert!(!studio.info().await.unwrap().open_to_all);

    let before = studio.info().await.unwrap().comments_allowed;
    studio.toggle_commenting().await.unwrap();
    assert_eq!(studio.info().await.unwrap().comments_allowed, !before);

    studio.set_thumbnail(PNG_1X1).await.unwrap();

    studio.delete().await.unwrap();
    let err = sb
        .new_client()
        .studio(studio.id())
        .info()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn new_scratchers_cannot_create_studios() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("demo_new").await;
    let err = client.create_studio().await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Refused {
                action: "create studio",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn curator_invite_accept_promote_remove() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("griffpatch", "Team").await;
    let host = sb.logged_in("griffpatch").await;
    let curator = sb.logged_in("kakurenbo").await;
    let reader = sb.new_client();

    host.studio(id).invite_curator("kakurenbo").await.unwrap();
    let role = curator.studio(id).my_role().await.unwrap();
    assert!(role.invited && !role.curator, "{role:?}");
    assert!(
        !names(reader.studio(id).curators())
            .await
            .contains(&"kakurenbo".to_owned())
    );

    curator.studio(id).accept_invite().await.unwrap();
    let role = curator.studio(id).my_role().await.unwrap();
    assert!(role.curator && !role.invited && !role.manager, "{role:?}");
    assert!(
        names(reader.studio(id).curators())
            .await
            .contains(&"kakurenbo".to_owned())
    );

    host.studio(id).promote("kakurenbo").await.unwrap();
    assert!(curator.studio(id).my_role().await.unwrap().manager);
    let managers = names(reader.studio(id).managers()).await;
    assert_eq!(managers[0], "griffpatch", "the host comes first");
    assert!(managers.contains(&"kakurenbo".to_owned()));
    assert!(
        !names(reader.studio(id).curators())
            .await
            .contains(&"kakurenbo".to_owned())
    );

    host.studio(id).remove_curator("kakurenbo").await.unwrap();
    let role = curator.studio(id).my_role().await.unwrap();
    assert!(!role.manager && !role.curator, "{role:?}");
    assert!(
        !names(reader.studio(id).managers())
            .await
            .contains(&"kakurenbo".to_owned())
    );
}

#[tokio::test]
async fn curators_can_leave() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("Maximouse", "Leavable").await;
    sb.logged_in("Maximouse")
        .await
        .studio(id)
        .invite_curator("PMJ_Studio")
        .await
        .unwrap();
    let curator = sb.logged_in("PMJ_Studio").await;
    curator.studio(id).accept_invite().await.unwrap();
    assert!(curator.studio(id).my_role().await.unwrap().curator);
    curator.studio(id).leave().await.unwrap();
    assert!(!curator.studio(id).my_role().await.unwrap().curator);
}

#[tokio::test]
async fn follow_a_studio() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("griffpatch", "Followable").await;
    let client = sb.logged_in("kakurenbo").await;
    let before = client.studio(id).info().await.unwrap().stats.followers;
    client.studio(id).follow().await.unwrap();
    assert!(client.studio(id).my_role().await.unwrap().following);
    assert_eq!(
        client.studio(id).info().await.unwrap().stats.followers,
        before + 1
    );
    client.studio(id).unfollow().await.unwrap();
    assert!(!client.studio(id).my_role().await.unwrap().following);
    assert_eq!(
        client.studio(id).info().await.unwrap().stats.followers,
        before
    );
}

#[tokio::test]
async fn add_and_remove_projects() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("griffpatch", "Collection").await;
    let project = sb.create_project("griffpatch", "In a studio", true).await;
    let client = sb.logged_in("griffpatch").await;
    let reader = sb.new_client();

    client.studio(id).add_project(project).await.unwrap();
    let items: Vec<StudioProject> = reader
        .studio(id)
        .projects()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.iter().any(|p| p.id.get() == project), "{items:?}");
    assert_eq!(reader.studio(id).info().await.unwrap().stats.projects, 1);

    client.studio(id).remove_project(project).await.unwrap();
    let items: Vec<StudioProject> = reader
        .studio(id)
        .projects()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.iter().all(|p| p.id.get() != project));
}

#[tokio::test]
async fn transfer_the_host_role() {
    let sb = TestSandbox::start().await;
    let id = sb.create_studio("griffpatch", "Handover").await;
    let host = sb.logged_in("griffpatch").await;
    let next = sb.logged_in("kakurenbo").await;
    host.studio(id).invite_curator("kakurenbo").await.unwrap();
    next.studio(id).accept_invite().await.unwrap();
    host.studio(id).promote("kakurenbo").await.unwrap();

    let err = host
        .studio(id)
        .transfer_host("kakurenbo", &SecretString::from("wrong-password"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Forbidden { .. } | Error::Unauthorized { .. } | Error::BadRequest { .. }
        ),
        "{err:?}"
    );
    assert_eq!(
        host.studio(id).info().await.unwrap().host.map(|h| h.get()),
        Some(1_882_674)
    );

    host.studio(id)
        .transfer_host("kakurenbo", &SecretString::from(DEMO_PASSWORD))
        .await
        .unwrap();
    let info = sb.new_client().studio(id).info().await.unwrap();
    assert_eq!(info.host.map(|h| h.get()), Some(27_675_462));
    let managers = names(sb.new_client().studio(id).managers()).await;
    assert_eq!(managers[0], "kakurenbo");
}
