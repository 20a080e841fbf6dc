//! An .sb3 round trip: download a project with its assets, change it, write the .sb3 file,
//! read it back and check that the change (and every asset) survived.
//!
//! ```text
//! cargo run -p scratchkit --example sb3_round_trip            # a sandbox project
//! cargo run -p scratchkit --example sb3_round_trip -- --live  # a shared project on scratch.mit.edu (PROJECT_ID)
//! ```

mod common;

use scratchkit::model::ProjectId;
use scratchkit::sb3::Sb3;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = common::Target::from_args().await?;
    let project = if target.sandbox.is_some() {
        ProjectId(142)
    } else {
        ProjectId(std::env::var("PROJECT_ID")?.parse()?)
    };

    let mut sb3 = target.client.project(project).download_sb3().await?;
    println!(
        "downloaded project {project}: {} targets, {} assets",
        sb3.project.targets.len(),
        sb3.assets.len()
    );

    // Change it: the editor name in its metadata.
    sb3.project.meta.agent = Some("scratchkit sb3_round_trip example".to_owned());

    let path = std::env::temp_dir().join(format!("scratchkit-example-{project}.sb3"));
    std::fs::write(&path, sb3.to_bytes()?)?;
    let again = Sb3::from_bytes(&std::fs::read(&path)?)?;
    std::fs::remove_file(&path)?;

    assert_eq!(again.project.meta.agent, sb3.project.meta.agent);
    assert_eq!(again.assets.len(), sb3.assets.len());
    println!(
        "wrote and read back {} ({} assets, md5 of each checked on reading)",
        path.display(),
        again.assets.len()
    );

    target.finish().await;
    Ok(())
}
