//! End-to-end: every write of the `scratchkit` client against an in-process sandbox on
//! 127.0.0.1, each read back through the client's own read API (one module per resource, one
//! test binary).

mod account;
mod backpack;
mod classrooms;
mod comments;
mod login;
mod messages;
mod mystuff;
mod permissions;
mod projects;
mod studios;
mod users;
