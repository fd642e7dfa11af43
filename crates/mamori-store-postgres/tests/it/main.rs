//! PostgreSQL store against the real server at 127.0.0.1:5432 (user postgres):
//! each test creates its own database and drops it.

mod conformance;
