//! End-to-end: every public read of the `scratchkit` client against an in-process sandbox on
//! 127.0.0.1 (one module per resource, one test binary).

mod explore;
mod faults;
mod paging;
mod projects;
mod site;
mod studios;
mod users;
