//! Rules of this category (catalogue in progress).

use super::{Rule, Signal};

pub const RULES: &[Rule] = &[];

pub const SIGNALS: &[Signal] = &[];
