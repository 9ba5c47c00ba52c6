//! Query values that carry several items.

use std::fmt::Display;

use crate::Error;

/// Joins a list parameter the way Zoho reads it: items separated by commas.
///
/// # Errors
///
/// [`Error::InvalidInput`] naming `parameter` when the list is empty (Zoho would answer that
/// the parameter is missing) or when an item contains a comma (Zoho would split it in two).
///
/// ```
/// assert_eq!(zoho_runtime::join_list("fields", &["id", "File_Name"]).unwrap(), "id,File_Name");
/// assert!(zoho_runtime::join_list::<&str>("fields", &[]).is_err());
/// ```
pub fn join_list<T: Display>(parameter: &'static str, items: &[T]) -> Result<String, Error> {
    if items.is_empty() {
        return Err(Error::InvalidInput {
            parameter,
            reason: "needs at least one value".to_owned(),
        });
    }
    let mut joined = String::new();
    for (index, item) in items.iter().enumerate() {
        let item = item.to_string();
        if item.contains(',') {
            return Err(Error::InvalidInput {
                parameter,
                reason: format!("`{item}` contains a comma, which separates values"),
            });
        }
        if index > 0 {
            joined.push(',');
        }
        joined.push_str(&item);
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_strings_and_numbers() {
        assert_eq!(
            join_list("ids", &[1_i64, 22, 333]).expect("valid"),
            "1,22,333"
        );
        assert_eq!(join_list("fields", &["id"]).expect("valid"), "id");
    }

    #[test]
    fn rejects_empty_lists_and_commas() {
        let empty = join_list::<String>("fields", &[]).expect_err("empty");
        assert!(matches!(
            empty,
            Error::InvalidInput {
                parameter: "fields",
                ..
            }
        ));
        let comma = join_list("fields", &["id,Owner"]).expect_err("comma");
        assert!(
            comma.to_string().contains("`id,Owner` contains a comma"),
            "{comma}"
        );
    }
}
