//! Strings (user ids, variant and event names) stored once and referred to by number.

use rustc_hash::FxHashMap;

/// Maps each distinct string to a dense `u32` id, in order of first appearance.
///
/// ```
/// use splitscope_engine::ingest::Interner;
/// let mut names = Interner::default();
/// assert_eq!(names.intern("a"), 0);
/// assert_eq!(names.intern("b"), 1);
/// assert_eq!(names.intern("a"), 0);
/// assert_eq!(names.get("b"), Some(1));
/// assert_eq!(names.name(1), "b");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The id of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    /// The id of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// The string of an id (empty for an unknown id).
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
