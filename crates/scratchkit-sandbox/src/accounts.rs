//! Accounts: roles, the demo accounts and password hashing.

use std::fmt;
use std::str::FromStr;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::SandboxError;

/// The password of every seeded account (demo and generated users).
///
/// Seeded users share one argon2 hash of this password, computed once per sandbox: hashing
/// hundreds of users one by one would make every start (and every test) take seconds.
/// Accounts created with `POST /_sandbox/users` get their own salted hash.
pub const DEMO_PASSWORD: &str = "scratchkit-demo";

/// What a sandbox account may do (Scratch's account kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A full Scratcher.
    Scratcher,
    /// A New Scratcher (fewer rights: no studio creation, comment limits).
    NewScratcher,
    /// A teacher account (classes).
    Teacher,
    /// A student account, member of a class.
    Student,
    /// A Scratch Team member (`scratchteam: true`).
    ScratchTeam,
}

impl Role {
    /// The role's name as stored and as accepted by the admin API (`scratcher`,
    /// `new_scratcher`, `teacher`, `student`, `scratch_team`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Scratcher => "scratcher",
            Role::NewScratcher => "new_scratcher",
            Role::Teacher => "teacher",
            Role::Student => "student",
            Role::ScratchTeam => "scratch_team",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the role names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected scratcher, new_scratcher, teacher, student or scratch_team)")]
pub struct UnknownRole(String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "scratcher" => Ok(Role::Scratcher),
            "new_scratcher" => Ok(Role::NewScratcher),
            "teacher" => Ok(Role::Teacher),
            "student" => Ok(Role::Student),
            "scratch_team" => Ok(Role::ScratchTeam),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

/// One of the seeded accounts you can log in with.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// The username (Scratch's capitalisation).
    pub username: &'static str,
    /// The password: always [`DEMO_PASSWORD`].
    pub password: &'static str,
    /// The account's role.
    pub role: Role,
}

impl fmt::Debug for DemoAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DemoAccount")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("role", &self.role)
            .finish()
    }
}

/// A fixed account of the demo world (values of the Scratch wiki's examples where known).
pub(crate) struct DemoUser {
    pub id: i64,
    pub username: &'static str,
    pub role: Role,
    pub joined: i64,
    pub profile_id: i64,
    pub status: &'static str,
    pub bio: &'static str,
    pub country: &'static str,
    /// Muted until this Unix time.
    pub muted_until: Option<i64>,
    pub banned: bool,
}

/// 2100-01-01: "muted for a long time" for the muted demo account.
const FAR_FUTURE: i64 = 4_102_444_800;

pub(crate) const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        id: 167,
        username: "mres",
        role: Role::ScratchTeam,
        joined: 1_173_239_414,
        profile_id: 29,
        status: "I'm working on new technologies and activities to support the four P's of creative learning: Projects, Peers, Passion, and Play",
        bio: "I'm a professor at the MIT Media Lab. But more important: I'm a member of the Scratch Team! \n\nCheck out my TED talk about Scratch: http://bit.ly/mres-ted-talk",
        country: "United States",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 15_883_188,
        username: "ScratchCat",
        role: Role::ScratchTeam,
        joined: 1_173_052_800,
        profile_id: 15_047_907,
        status: "See @Scratchteam's account for starter projects.\n\nMrow! \n=^..^=",
        bio: "Meow! Meow Meow purrrr lick meow!",
        country: "United States",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 1_882_674,
        username: "griffpatch",
        role: Role::Scratcher,
        joined: 1_337_000_000,
        profile_id: 1_764_080,
        status: "Working on a new game - watch this space!",
        bio: "I make games and tutorials in the sandbox.",
        country: "United Kingdom",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 27_675_462,
        username: "kakurenbo",
        role: Role::Scratcher,
        joined: 1_511_761_768,
        profile_id: 26_820_116,
        status: "受験",
        bio: "中3の男子です。",
        country: "Japan",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 40_210_166,
        username: "Maximouse",
        role: Role::Scratcher,
        joined: 1_546_300_800,
        profile_id: 39_330_512,
        status: "Writing Python tools for Scratch",
        bio: "Programmer.",
        country: "Czech Republic",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 42_178_181,
        username: "PMJ_Studio",
        role: Role::Scratcher,
        joined: 1_552_337_656,
        profile_id: 41_297_648,
        status: "Mostly using JavaScript and Rust now",
        bio: "Polski • English",
        country: "Poland",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 49_156,
        username: "Paddle2See",
        role: Role::ScratchTeam,
        joined: 1_190_000_000,
        profile_id: 47_001,
        status: "Moderating",
        bio: "Scratch Team member.",
        country: "United States",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 99_000_101,
        username: "demo_new",
        role: Role::NewScratcher,
        joined: 1_745_000_000,
        profile_id: 98_000_101,
        status: "",
        bio: "",
        country: "Canada",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 99_000_102,
        username: "demo_teacher",
        role: Role::Teacher,
        joined: 1_600_000_000,
        profile_id: 98_000_102,
        status: "Teaching Scratch",
        bio: "Teacher account of the sandbox class.",
        country: "United States",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 99_000_103,
        username: "demo_student",
        role: Role::Student,
        joined: 1_700_000_000,
        profile_id: 98_000_103,
        status: "",
        bio: "",
        country: "United States",
        muted_until: None,
        banned: false,
    },
    DemoUser {
        id: 99_000_104,
        username: "demo_muted",
        role: Role::Scratcher,
        joined: 1_650_000_000,
        profile_id: 98_000_104,
        status: "",
        bio: "",
        country: "Germany",
        muted_until: Some(FAR_FUTURE),
        banned: false,
    },
    DemoUser {
        id: 99_000_105,
        username: "demo_banned",
        role: Role::Scratcher,
        joined: 1_650_000_000,
        profile_id: 98_000_105,
        status: "",
        bio: "",
        country: "France",
        muted_until: None,
        banned: true,
    },
];

/// The seeded accounts you can log in with (all with [`DEMO_PASSWORD`]).
///
/// `mres`, `ScratchCat` and `Paddle2See` are Scratch Team; `griffpatch`, `kakurenbo`,
/// `Maximouse`, `PMJ_Studio` are Scratchers; `demo_new` is a New Scratcher, `demo_teacher`
/// a teacher, `demo_student` a student of class 367806, `demo_muted` is muted (until 2100)
/// and `demo_banned` is banned.
///
/// ```
/// let accounts = scratchkit_sandbox::demo_accounts();
/// assert!(accounts.iter().any(|a| a.username == "mres"));
/// assert!(accounts.iter().all(|a| a.password == scratchkit_sandbox::DEMO_PASSWORD));
/// ```
pub fn demo_accounts() -> Vec<DemoAccount> {
    DEMO_USERS
        .iter()
        .map(|u| DemoAccount {
            username: u.username,
            password: DEMO_PASSWORD,
            role: u.role,
        })
        .collect()
}

/// Hashes a password with argon2 (default parameters) and a fresh random salt: a PHC string.
pub(crate) fn hash_password(password: &str) -> Result<String, SandboxError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt =
        SaltString::encode_b64(&salt_bytes).map_err(|e| SandboxError::Hash(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| SandboxError::Hash(e.to_string()))
}

/// Checks a password against a PHC string; a malformed hash never verifies.
#[cfg_attr(not(test), allow(dead_code))] // used by the login issue
pub(crate) fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Scratch's rules for a new username (the wire contract's): 3 to 20 letters, digits, `_` or
/// `-`.
pub(crate) fn is_valid_username(name: &str) -> bool {
    scratchkit_wire::limits::check_new_username(name).is_ok()
}

/// Words the sandbox's stand-in for Scratch's username filter refuses ("bad username").
const BAD_WORDS: &[&str] = &["badword", "crap", "stupid"];

/// True when the name contains a refused word (case-insensitive).
pub(crate) fn is_bad_username(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    BAD_WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify() {
        let phc = hash_password("hunter22").unwrap();
        assert!(phc.starts_with("$argon2"));
        assert!(verify_password("hunter22", &phc));
        assert!(!verify_password("hunter23", &phc));
        assert!(!verify_password("hunter22", "not a hash"));
    }

    #[test]
    fn roles_round_trip() {
        for role in [
            Role::Scratcher,
            Role::NewScratcher,
            Role::Teacher,
            Role::Student,
            Role::ScratchTeam,
        ] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn username_rules() {
        assert!(is_valid_username("griffpatch"));
        assert!(is_valid_username("a-b_c"));
        assert!(!is_valid_username("ab"));
        assert!(!is_valid_username("has space"));
        assert!(!is_valid_username("abcdefghijklmnopqrstu"));
        assert!(is_bad_username("xxCrapxx"));
    }

    #[test]
    fn demo_account_debug_hides_password() {
        let text = format!("{:?}", demo_accounts()[0]);
        assert!(!text.contains(DEMO_PASSWORD));
    }
}
