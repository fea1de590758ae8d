//! Response views: a schema with `writeOnly` properties has a view without them for response
//! bodies, made from the full model by [`IntoView`], which generated code implements for
//! each view and which goes through the containers a body may hold them in.

use std::collections::BTreeMap;

/// Makes the view `T` of a value: its response view, leaving out its `writeOnly` properties.
pub trait IntoView<T> {
    /// The view.
    fn into_view(self) -> T;
}

impl<T: IntoView<U>, U> IntoView<Option<U>> for Option<T> {
    fn into_view(self) -> Option<U> {
        self.map(IntoView::into_view)
    }
}

impl<T: IntoView<U>, U> IntoView<Box<U>> for Box<T> {
    fn into_view(self) -> Box<U> {
        Box::new((*self).into_view())
    }
}

impl<T: IntoView<U>, U> IntoView<Vec<U>> for Vec<T> {
    fn into_view(self) -> Vec<U> {
        self.into_iter().map(IntoView::into_view).collect()
    }
}

impl<K: Ord, T: IntoView<U>, U> IntoView<BTreeMap<K, U>> for BTreeMap<K, T> {
    fn into_view(self) -> BTreeMap<K, U> {
        self.into_iter().map(|(k, v)| (k, v.into_view())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::IntoView;

    struct Full(u8, &'static str);
    #[derive(Debug, PartialEq)]
    struct View(u8);
    impl IntoView<View> for Full {
        fn into_view(self) -> View {
            View(self.0)
        }
    }

    #[test]
    fn containers_convert_their_items() {
        let v: Vec<Option<Box<View>>> = vec![Some(Box::new(Full(1, "secret"))), None].into_view();
        assert_eq!(v, [Some(Box::new(View(1))), None]);
        let m: std::collections::BTreeMap<String, View> = [("a".to_owned(), Full(2, "x"))]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_view();
        assert_eq!(m["a"], View(2));
        assert_eq!(Full(3, "x").1, "x");
    }
}
