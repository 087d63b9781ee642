//! The integration tests, one test binary: each module was its own crate, and linking 25
//! binaries against tantivy took minutes of CI. A module per capability, as before; the
//! shared helpers are `common`.

mod address;
mod areas;
mod bad_data;
mod cli_distance;
mod cli_doctor;
mod cli_injection;
mod cli_list;
mod cli_phone;
mod cli_search;
mod cli_tally;
mod cli_unix_tool;
mod cli_validate;
mod common;
mod curated_support;
mod data_integrity;
mod fuzz_props;
mod gazetteer;
mod hsds;
mod import_table;
mod layers;
mod links;
mod national_search;
mod search_quality;
mod service_lines;
#[cfg(unix)]
mod tui_pty;
mod wamnet_changes;
mod wamnet_import;
mod wamnet_layer;
