//! JavaScript number formatting (`Number.prototype.toString`), as cloud servers use it.
//!
//! Shared by the client (comparing and reporting cloud values) and the sandbox's cloud server
//! (re-serialising the numbers it relays), so both format numbers byte for byte alike.

/// Formats a number exactly as JavaScript's `String(x)` / `JSON.stringify(x)` would.
///
/// Cloud servers re-serialise numeric values this way, so a value received as the JSON
/// number `1E5` is reported as `"100000"`, and `1e21` as `"1e+21"`. Non-finite numbers
/// (which JSON cannot carry) give `"NaN"`, `"Infinity"` and `"-Infinity"`.
///
/// ```
/// use scratchkit_model::js_number_to_string;
///
/// assert_eq!(js_number_to_string(1.5), "1.5");
/// assert_eq!(js_number_to_string(3.0), "3");
/// assert_eq!(js_number_to_string(1e21), "1e+21");
/// assert_eq!(js_number_to_string(0.1 + 0.2), "0.30000000000000004");
/// ```
pub fn js_number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    if x < 0.0 {
        return format!("-{}", js_number_to_string(-x));
    }
    // Rust's `{:e}` prints the shortest digit string that round-trips: `d[.ddd]e<exp>`.
    let exp_form = format!("{x:e}");
    let (mantissa, exponent) = exp_form.split_once('e').unwrap_or((exp_form.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let k = digits.len() as i64;
    let n = exponent + 1;
    if k <= n && n <= 21 {
        let mut out = digits.to_owned();
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
        out
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        let mut out = "0.".to_owned();
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(digits);
        out
    } else {
        let (first, rest) = digits.split_at(1);
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let magnitude = (n - 1).abs();
        if rest.is_empty() {
            format!("{first}e{sign}{magnitude}")
        } else {
            format!("{first}.{rest}e{sign}{magnitude}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::js_number_to_string;

    #[test]
    fn matches_javascript_for_the_reference_table() {
        let cases: &[(f64, &str)] = &[
            (1e5, "100000"),
            (1.50, "1.5"),
            (-0.0, "0"),
            (1e21, "1e+21"),
            (123_456_789_012_345_678_901.0, "123456789012345680000"),
            (0.000_000_1, "1e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (9_007_199_254_740_993.0, "9007199254740992"),
            (1e20, "100000000000000000000"),
            (0.000_001, "0.000001"),
            (1.5e-7, "1.5e-7"),
            (-42.0, "-42"),
            (-0.5, "-0.5"),
            (123.456, "123.456"),
            (5e-324, "5e-324"),
            (1.797_693_134_862_315_7e308, "1.7976931348623157e+308"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (x, want) in cases {
            assert_eq!(js_number_to_string(*x), *want, "formatting {x:e}");
        }
    }
}
