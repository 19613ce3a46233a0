// Package report owns the monthly mails of the performance plan (DESIGN §1,
// §2): the team report to a manager (TeamReport, with two inline charts and
// the Workbook attached), an engineer's own scorecard (Scorecard), and the
// separate notice of a performance warning or position adjustment (Notice).
// It renders; it does not send (package ses does) and it is pure: no AWS, no
// clock, no files — months and cards come in as values.
//
// Every mail is in the recipient's language, zh-CN or en (Locale picks it);
// all words, metric and dimension names included, are in one catalog
// (catalog.go). English metric definitions are metric.Defs' own.
//
// Mail HTML is built for mail clients, not browsers: html/template (so every
// value is escaped), table layout at most 680 px wide, every style inline
// (clients drop <style> blocks), no scripts, SVG, web fonts, links or
// external assets. Charts are PNG parts referenced as cid: images. Every
// mail has a plain-text alternative with the same content.
//
// Decisions where the design leaves room:
//
//   - Numbers: composites, dimension scores and points with one decimal
//     (85.58 → "85.6"); rates as percentages with one decimal ("95.0 %");
//     hours and per-week values with one decimal and their unit; counts as
//     they are. A missing value prints "—", never a Go zero value.
//   - The team table is ordered by composite, best first, insufficient data
//     last, ties by name. "Change" is the composite's difference from last
//     month's; "new" when there is no card for last month, "—" when either
//     month had insufficient data.
//   - A month with insufficient data is shown as such ("insufficient data",
//     with the ticket count) in grey: no grade, no missed metrics, nothing
//     red; the engineer's scorecard lists its metrics greyed and says the
//     month is not a failure.
//   - An override is shown beside the computed grade ("B → A", the reason
//     and who set it); summary counts and the scorecard's standing use the
//     overridden grade, as consequences do. The grade histogram counts the
//     computed composite's band: it shows scores, not decisions.
//   - The team table names at most four missed metrics per engineer, worst
//     first, then "+N more"; the workbook and the scorecard have them all.
//     Mails list at most five offending tickets per metric and how many
//     more; the workbook has all the card holds (up to 20).
//   - The trend chart draws one line per engineer for up to eight engineers
//     with data, else the team mean and mean ± one standard deviation; the
//     pass mark is a grey line. Months without a composite are gaps.
//   - Charts contain no words: the embedded chart font has no CJK glyphs,
//     so titles, captions and the legend are HTML in the mail's language.
//   - The workbook's sheet names stay "Summary" and "Metrics" in both
//     languages; headers, dimension and metric names and statuses are in
//     the manager's language, metric ids are kept in their own column.
//     Values are numbers: rates as fractions formatted as percentages,
//     booleans as booleans, absent values as empty cells.
//   - Self- vs lead-assessment gaps (Team.Gaps) are a later issue: the
//     section renders only when gaps are given, highlighting those of
//     GapHighlight points or more.
//   - Scorecard and TeamReport need the policy (pass mark, grades, metric
//     order) and return an errcode.Invalid error without one; Notice needs
//     none and falls back to English when neither the given nor the
//     engineer's locale is usable.
package report
