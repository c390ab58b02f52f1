//! A value behind a type-erased box, where one model's types contain another's.
//!
//! A model's relation fields hold the related model's rows, and a `Where` holds the related
//! model's `Where`. Left as `Vec<T>` or `Box<T>`, the compiler answers "is `User` `Send`?" or
//! "what does dropping `User` touch?" by walking into `Session`, then into what `Session`
//! holds, along every relation path: in a schema of a few dozen related models that runs past
//! its recursion limit. Behind [`Erased`], those questions stop at the box: a trait object
//! declared `Send + Sync`, whose drop is dynamic.

use std::fmt;

/// Holds a `T`; the box's trait object hides `T`'s structure from the compiler's checks.
trait Holder<T>: Send + Sync {
    fn get(&self) -> &T;
    fn into_inner(self: Box<Self>) -> T;
}

struct Hold<T>(T);

impl<T: Send + Sync> Holder<T> for Hold<T> {
    fn get(&self) -> &T {
        &self.0
    }
    fn into_inner(self: Box<Self>) -> T {
        self.0
    }
}

/// A `T` whose auto traits and drop check do not depend on `T`'s fields.
pub struct Erased<T> {
    inner: Box<dyn Holder<T> + Send + Sync>,
}

impl<T: Send + Sync + 'static> Erased<T> {
    /// Boxes `value`.
    pub fn new(value: T) -> Self {
        Erased {
            inner: Box::new(Hold(value)),
        }
    }
}

impl<T> Erased<T> {
    /// The value.
    pub fn get(&self) -> &T {
        self.inner.get()
    }

    /// Takes the value out.
    pub fn into_inner(self) -> T {
        self.inner.into_inner()
    }
}

impl<T: Clone + Send + Sync + 'static> Clone for Erased<T> {
    fn clone(&self) -> Self {
        Erased::new(self.get().clone())
    }
}

impl<T: PartialEq> PartialEq for Erased<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: fmt::Debug> fmt::Debug for Erased<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl<T: serde::Serialize> serde::Serialize for Erased<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

impl<'de, T: serde::Deserialize<'de> + Send + Sync + 'static> serde::Deserialize<'de>
    for Erased<T>
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d).map(Erased::new)
    }
}
