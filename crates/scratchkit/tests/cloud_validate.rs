//! Client-side validation tables for Scratch and TurboWarp rules.
#![cfg(feature = "cloud")]

use scratchkit::cloud::{CloudRules, ValidationError, is_numeric_value, validate_name};

#[test]
fn numeric_values_follow_the_turbowarp_regex() {
    let accepted = ["123", "-4.5", "0", "", "-0", "00", ".5", "5.", "-.", "007"];
    let refused = [
        "+1",
        " 1",
        "1 ",
        "1e5",
        "0x03",
        "1,000",
        "NaN",
        "Infinity",
        "-Infinity",
        "true",
        "hello",
        ".",
        "-",
        "1.2.3",
        "--1",
        "١٢",
        "²",
        "1\n",
    ];
    for value in accepted {
        assert!(is_numeric_value(value), "{value:?} should be accepted");
    }
    for value in refused {
        assert!(!is_numeric_value(value), "{value:?} should be refused");
    }
}

#[test]
fn scratch_rules_table() {
    let rules = CloudRules::Scratch;
    let cases: Vec<(String, Result<(), ValidationError>)> = vec![
        ("42".into(), Ok(())),
        ("1".repeat(256), Ok(())),
        (
            "1".repeat(257),
            Err(ValidationError::ValueTooLong { len: 257, max: 256 }),
        ),
        ("abc".into(), Err(ValidationError::NotNumeric { len: 3 })),
        ("1e5".into(), Err(ValidationError::NotNumeric { len: 3 })),
    ];
    for (value, want) in cases {
        assert_eq!(rules.validate_value(&value), want, "{value:.20}");
    }
    assert_eq!(rules.max_variables(), 10);
}

#[test]
fn turbowarp_rules_table() {
    let rules = CloudRules::turbowarp();
    assert_eq!(rules.validate_value(&"9".repeat(100_000)), Ok(()));
    assert_eq!(
        rules.validate_value(&"9".repeat(100_001)),
        Err(ValidationError::ValueTooLong {
            len: 100_001,
            max: 100_000
        })
    );
    assert!(matches!(
        rules.validate_value("text"),
        Err(ValidationError::NotNumeric { .. })
    ));
    assert_eq!(rules.max_variables(), 128);
    let custom = CloudRules::TurboWarp { max_len: 5 };
    assert!(custom.validate_value("12345").is_ok());
    assert!(custom.validate_value("123456").is_err());
}

#[test]
fn names_with_or_without_the_prefix() {
    let cases: &[(&str, Result<&str, ()>)] = &[
        ("score", Ok("score")),
        ("☁ score", Ok("score")),
        ("☁ ☁ score", Ok("☁ score")),
        ("☁score", Ok("☁score")),
        ("", Err(())),
        ("☁ ", Err(())),
    ];
    for (name, want) in cases {
        assert_eq!(validate_name(name).map_err(|_| ()), *want, "{name:?}");
    }
    let long = "x".repeat(1022);
    assert!(validate_name(&long).is_ok());
    let too_long = "x".repeat(1023);
    assert!(matches!(
        validate_name(&too_long),
        Err(ValidationError::BadName { .. })
    ));
}
