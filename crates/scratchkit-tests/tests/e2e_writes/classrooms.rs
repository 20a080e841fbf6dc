//! Classes: reading a class by id and token, and the teacher's actions.

use scratchkit::model::ClassroomId;
use scratchkit::{Error, StudentRegistration};
use scratchkit_tests::TestSandbox;
use secrecy::SecretString;

#[tokio::test]
async fn read_a_class_by_id_and_token() {
    let sb = TestSandbox::start().await;
    let client = sb.new_client();
    let class = client.classroom(367_806u64).info().await.unwrap();
    assert_eq!(class.id, ClassroomId(367_806));
    assert_eq!(class.title, "Sandbox Class");
    assert_eq!(
        class.educator.as_ref().map(|u| u.username.as_str()),
        Some("demo_teacher")
    );

    let by_token = client
        .classroom_by_token("sandboxclass367806")
        .await
        .unwrap();
    assert_eq!(by_token.id, ClassroomId(367_806));

    let students = client.classroom(367_806u64).students(1).await.unwrap();
    assert!(
        students.contains(&"demo_student".to_owned()),
        "{students:?}"
    );
    assert!(
        client
            .classroom(367_806u64)
            .students(99)
            .await
            .unwrap()
            .is_empty()
    );

    let err = client.classroom(1u64).info().await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}

#[tokio::test]
async fn teacher_edits_closes_and_reopens_a_class() {
    let sb = TestSandbox::start().await;
    let teacher = sb.logged_in("demo_teacher").await;
    let class = teacher.classroom(367_806u64);
    class.set_title("Sandbox Class 2").await.unwrap();
    class.set_description("About us").await.unwrap();
    class.set_status("Clones").await.unwrap();
    let info = sb.new_client().classroom(367_806u64).info().await.unwrap();
    assert_eq!(info.title, "Sandbox Class 2");
    assert_eq!(info.description, "About us");
    assert_eq!(info.status, "Clones");

    class.close().await.unwrap();
    let err = sb
        .new_client()
        .classroom(367_806u64)
        .info()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "closed classes are not served: {err:?}");
    class.reopen().await.unwrap();
    sb.new_client().classroom(367_806u64).info().await.unwrap();
}

#[tokio::test]
async fn teacher_creates_a_class_and_a_student_registers() {
    let sb = TestSandbox::start().await;
    let teacher = sb.logged_in("demo_teacher").await;
    let class = teacher
        .create_classroom("New class", "Fresh")
        .await
        .unwrap();
    let info = class.info().await.unwrap();
    assert_eq!(info.title, "New class");

    let link = class.registration_link().await.unwrap();
    let token = link
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(!token.is_empty());
    assert_eq!(
        sb.new_client().classroom_by_token(&token).await.unwrap().id,
        class.id()
    );
    class
        .add_studio(&token, "Week 1", "Share here")
        .await
        .unwrap();

    let student = StudentRegistration::new(
        class.id(),
        token,
        "new_student_1",
        SecretString::from("student-password"),
    );
    let name = sb.new_client().register_student(&student).await.unwrap();
    assert_eq!(name, "new_student_1");
    sb.new_client()
        .login("new_student_1", "student-password")
        .await
        .unwrap();

    assert_eq!(class.students(1).await.unwrap(), ["new_student_1"]);
    assert_eq!(class.studios(1).await.unwrap().len(), 1);

    let mine = teacher.me().classrooms(false, 1).await.unwrap();
    let created = mine
        .iter()
        .find(|c| c.title == "New class")
        .unwrap_or_else(|| panic!("{mine:?}"));
    assert_eq!(created.id, Some(class.id()));
    assert!(!created.is_closed());
    assert_eq!(created.student_count, 1);
    assert!(created.token.as_deref().is_some_and(|t| !t.is_empty()));
    let details = class.details().await.unwrap();
    assert_eq!(details.id, Some(class.id()));
    assert_eq!(details.title, "New class");
    let activity = class.activity(None, 1).await.unwrap();
    assert!(activity.iter().all(|a| a.actor.is_some()));
    teacher.me().educator_alerts(1).await.unwrap();
}

#[tokio::test]
async fn only_the_teacher_manages_a_class() {
    let sb = TestSandbox::start().await;
    let student = sb.logged_in("demo_student").await;
    let err = student
        .classroom(367_806u64)
        .set_title("Ours")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Forbidden { .. } | Error::NotFound { .. }),
        "{err:?}"
    );
    let err = student.create_classroom("Mine", "").await.unwrap_err();
    assert!(
        matches!(err, Error::Forbidden { .. } | Error::Refused { .. }),
        "{err:?}"
    );
    let class = sb.new_client().classroom(367_806u64).info().await.unwrap();
    assert_eq!(class.title, "Sandbox Class");
}

#[tokio::test]
async fn teacher_reads_the_seeded_class_its_alerts_and_activity_as_models() {
    let sb = TestSandbox::start().await;
    let teacher = sb.logged_in("demo_teacher").await;
    let class = teacher.classroom(367_806u64);

    let details = class.details().await.unwrap();
    assert_eq!(details.id, Some(ClassroomId(367_806)));
    assert_eq!(details.title, "Sandbox Class");
    assert_eq!(details.token.as_deref(), Some("sandboxclass367806"));
    assert!(!details.is_closed());
    assert!(details.student_count >= 3, "{details:?}");
    assert_eq!(
        details.educator.as_ref().map(|u| u.username.as_str()),
        Some("demo_teacher")
    );
    assert!(details.datetime_created.is_some());

    let alerts = class.alerts(1).await.unwrap();
    assert_eq!(alerts.len() as u64, details.unread_alert_count);
    assert!(!alerts.is_empty());
    for alert in &alerts {
        assert!(alert.pk.is_some() && !alert.is_read(), "{alert:?}");
        let action = alert.fields.admin_action.as_ref().unwrap();
        assert!(action.kind.is_some());
        assert!(action.datetime_created.is_some());
        assert_eq!(
            action.target_user.as_ref().map(|u| u.username.as_str()),
            Some("demo_student")
        );
        assert!(action.actor.as_ref().is_some_and(|a| a.admin == Some(true)));
    }
    // Listing marked them read.
    assert!(
        teacher
            .me()
            .educator_alerts(1)
            .await
            .unwrap()
            .iter()
            .all(|a| a.is_read())
    );
    assert_eq!(class.details().await.unwrap().unread_alert_count, 0);

    let student = sb.logged_in("demo_student").await;
    student.user("griffpatch").follow().await.unwrap();
    let activity = class.activity(None, 1).await.unwrap();
    let follow = activity
        .iter()
        .find(|a| a.kind == scratchkit::model::ClassroomActivityType::FollowUser)
        .unwrap_or_else(|| panic!("{activity:?}"));
    assert_eq!(follow.followed_username.as_deref(), Some("griffpatch"));
    assert_eq!(
        follow.actor.as_ref().map(|a| a.username.as_str()),
        Some("demo_student")
    );
    for item in activity {
        assert!(item.kind.is_known(), "{item:?}");
        assert!(item.actor.as_ref().is_some_and(|a| a.pk.is_some()));
        assert!(item.datetime_created.is_some());
    }
    let closed = teacher.me().classrooms(true, 1).await.unwrap();
    assert!(closed.iter().all(|c| c.is_closed()), "{closed:?}");
    assert!(!closed.is_empty());
}
