// Package consequence owns the performance plan's consequences (DESIGN.md §2):
// from one engineer's monthly history it decides warnings, training plans,
// position adjustments, bonus, promotion priority and mentoring for one
// month, and it ranks engineers for annual recognition. It is pure: no I/O,
// no clock; months and hire dates come in as values.
//
// Decisions where DESIGN.md is silent:
//
//   - The below-standard streak walks the engineer's records in month order.
//     A month without a record, with insufficient data, or inside the
//     exemption after hire neither counts nor resets the streak; a month that
//     meets the standard resets it. So "2 consecutive months" may be 2026-08
//     and 2026-10 when 2026-09 was leave; the Detail says so.
//   - Warning (with training plan) is given while the streak is at least
//     WarningAfter and below AdjustmentAfter; from AdjustmentAfter on it is a
//     position adjustment (with training plan) instead, every month the
//     streak goes on. Nothing is given when the current month itself is not
//     below standard, or is exempt.
//   - Exemption: months whose index is below the hire month's + ExemptMonths
//     (months before hire included). The hire month is the calendar month of
//     Engineer.HireDate in that time.Time's own location, so callers build it
//     in the policy's time zone. A zero HireDate is never exempt.
//   - An override replaces the grade; meets-standard follows the grade
//     (Rules.GradeMeets). Validate requires pass_mark to be one grade's min so
//     that this always agrees with "composite >= pass mark". An override must
//     name a grade of the rules; Apply rejects one that does not, and never
//     modifies a Record.
//   - Bonus is rounded to cents. It is given for every month with an effective
//     grade, exempt ones included, and not for insufficient months.
//   - Promotion priority needs PromotionCount months of PromotionGrade in the
//     PromotionWindow calendar months ending with the current one, and no
//     warning or position adjustment in any of those months, each decided by
//     the streak rule as it stood then.
//   - Apply ignores records after the current month, and rejects a history
//     with two records for one month up to the current one. Recognize, which
//     cannot fail, leaves a month that appears twice out instead.
//   - Recognition means are rounded to 4 decimals before ranking, so that
//     float noise never decides a tie; ties go to more months of the best
//     grade, then the lower engineer id. Ranks are 1..N with no shared ranks.
package consequence
