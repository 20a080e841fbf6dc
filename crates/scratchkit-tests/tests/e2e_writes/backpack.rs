//! The backpack: add, list, download, delete.

use futures_util::TryStreamExt;
use scratchkit::NewBackpackItem;
use scratchkit::model::{BackpackItem, BackpackItemKind};
use scratchkit_tests::TestSandbox;

#[tokio::test]
async fn add_list_download_delete() {
    let sb = TestSandbox::start().await;
    let client = sb.logged_in("griffpatch").await;
    let script = br#"[{"opcode":"motion_movesteps"}]"#;
    let item = NewBackpackItem::new(
        BackpackItemKind::Script,
        "application/json",
        "move 10",
        &script[..],
        &b"\xff\xd8\xff\xe0thumbnail"[..],
    );
    let added = client.me().add_to_backpack(&item).await.unwrap();
    assert_eq!(added.name, "move 10");
    assert_eq!(added.kind, BackpackItemKind::Script);

    let items: Vec<BackpackItem> = client.me().backpack().stream().try_collect().await.unwrap();
    let listed = items.iter().find(|i| i.id == added.id).expect("listed");
    assert_eq!(listed.mime, "application/json");

    let body = client.me().download_backpack_item(listed).await.unwrap();
    assert_eq!(&body[..], &script[..]);

    // Another user's backpack is separate.
    let other = sb.logged_in("kakurenbo").await;
    let theirs: Vec<BackpackItem> = other.me().backpack().stream().try_collect().await.unwrap();
    assert!(theirs.iter().all(|i| i.id != added.id));

    client.me().delete_from_backpack(&added.id).await.unwrap();
    let items: Vec<BackpackItem> = client.me().backpack().stream().try_collect().await.unwrap();
    assert!(items.iter().all(|i| i.id != added.id));
}
