//! Importers: turn public files committed under `data/sources/` into directory layers, so that a
//! fresh clone rebuilds its bundled data with one command (`ikenavi import …`). Each importer
//! decodes and checks its sources at this edge and reports every row it does not use.

pub mod archive;
pub mod cell;
pub mod gazetteer;
pub mod hsds;
pub(crate) mod lines;
pub mod links;
pub mod table;
pub mod wamnet;
