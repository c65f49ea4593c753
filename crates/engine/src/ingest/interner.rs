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
/// // Numeric ids are keyed by value, but "007" is not "7".
/// assert_eq!(names.intern("7"), 2);
/// assert_eq!(names.intern("007"), 3);
/// assert_eq!(names.get("7"), Some(2));
/// let mut ids = Interner::default();
/// for id in ["3", "1", "2"] { ids.intern(id); }
/// ids.freeze();
/// assert_eq!((ids.get("1"), ids.get("4"), ids.get("01")), (Some(1), None, None));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// Canonical decimal strings (most user ids) keyed by their value: no string
    /// hashing or comparison, and no pointer chase on lookup.
    numbers: FxHashMap<u64, u32>,
    ids: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
    /// After [`Interner::freeze`], when every name is a number of a compact range:
    /// id by value, so a lookup touches one small array instead of a hash table.
    dense: Option<Vec<u32>>,
    /// Bytes of the names' text, kept once in `names`…
    text_bytes: u64,
    /// …and once more as keys of `ids`.
    key_bytes: u64,
}

/// Marks an absent value in [`Interner::dense`].
const ABSENT: u32 = u32::MAX;

/// The value of a canonical decimal string (`"0"`, `"17"`, not `"017"` or `"+1"`),
/// which no other string shares.
fn canonical_number(name: &str) -> Option<u64> {
    let b = name.as_bytes();
    let canonical = !b.is_empty()
        && b.len() <= 19
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    canonical.then(|| b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

impl Interner {
    /// The id of `name`, adding it when new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.get(name) {
            return id;
        }
        self.dense = None;
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.text_bytes += name.len() as u64;
        match canonical_number(name) {
            Some(number) => self.numbers.insert(number, id),
            None => {
                self.key_bytes += name.len() as u64;
                self.ids.insert(name.into(), id)
            }
        };
        id
    }

    /// Bytes held, by the model of [`crate::memory`] (a name is 16 bytes and its
    /// text; a number key about 20 bytes, a text key about 28 and its text, counting
    /// the hash tables' spare slots), including the buffers that `ahead` more new
    /// names would allocate.
    pub fn memory_bytes(&self, ahead: usize) -> u64 {
        use crate::memory::growing;
        growing(self.names.len(), self.names.capacity(), 16, ahead)
            + self.text_bytes
            + growing(self.numbers.len(), self.numbers.capacity(), 20, ahead)
            + growing(self.ids.len(), self.ids.capacity(), 28, ahead)
            + self.key_bytes
            + self.dense.as_ref().map_or(0, |d| d.capacity() as u64 * 4)
    }

    /// Prepares for lookups only: when every name is a number no larger than a few
    /// times their count (ids 1…N, say), builds a direct table. Interning after this
    /// drops the table.
    pub fn freeze(&mut self) {
        let max = self.numbers.keys().max().copied().unwrap_or(0);
        let compact = max <= 8 * self.names.len() as u64 + 1024;
        if self.ids.is_empty() && compact {
            let mut dense = vec![ABSENT; max as usize + 1];
            for (&number, &id) in &self.numbers {
                if let Some(slot) = dense.get_mut(number as usize) {
                    *slot = id;
                }
            }
            self.dense = Some(dense);
        }
    }

    /// The id of `name`, if known.
    pub fn get(&self, name: &str) -> Option<u32> {
        if let Some(dense) = &self.dense {
            let number = canonical_number(name)?;
            let id = *dense.get(usize::try_from(number).ok()?)?;
            return (id != ABSENT).then_some(id);
        }
        match canonical_number(name) {
            Some(number) => self.numbers.get(&number).copied(),
            None => self.ids.get(name).copied(),
        }
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
