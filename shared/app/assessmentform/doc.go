// Package assessmentform owns what assessors see of the month-end self and
// team-lead assessments (DESIGN §2 evaluation sources, issue 6): a team
// lead rates each engineer they manage on attitude, problem solving and
// collaboration from 0 to 100 with a comment, and each engineer fills in
// the same form about themself. It owns the invitation and reminder mail
// (Invitation) and the pages behind the mail's link (Handler, serving GET
// and POST /a/{token}), built on the forms kit. The Assessment, its Scores
// and the Store the pages read are the core's (package assessment); time
// comes in (Handler.Now, the now arguments). The tests use an in-memory
// Store; the DynamoDB adapter lives with the other storage code, and
// deciding who gets which form, when, is the monthly round's job.
//
// The link is package token's: Kind token.KindAssessment, Subject the
// assessment id, expiring at the deadline. The id (ID) is a hash of month,
// kind and assessor, so the link names nobody in the clear.
//
// # Pages
//
//   - A GET never records anything: mail scanners prefetch every link. It
//     shows the form: one fieldset per engineer, its legend the engineer's
//     name (with the id when a name is missing or shared), three labelled
//     number inputs (0–100, step 0.1, required) and an optional comment.
//     A self-assessment is the same form with one fieldset, about oneself.
//     Once submitted, the form is shown filled with the answers and a note
//     that they can be changed until the deadline.
//   - A POST checks every field and records all or nothing: scores for
//     every engineer are required. Problems → 400 with the form again,
//     every problem listed above the form (naming engineer and field,
//     linked to the input) and shown beside its input (aria-invalid,
//     aria-describedby), and what was typed kept. Otherwise Store.Submit
//     and a 200 thank-you page listing the scores as stored. Submitting
//     again before the deadline replaces the answers.
//   - At or after the deadline (Assessment.Open) the form is closed: GET
//     and POST answer 410 "the assessment is closed", in the assessment's
//     language, and nothing is stored. The link expires at the deadline
//     too; an expired link of ours is read once more, ignoring its
//     expiry, only to find the assessment's language and deadline for
//     that page.
//   - Statuses come from the one error table (httpapi.Status): a
//     malformed, tampered or foreign-kind link, or an assessment the store
//     does not hold → 404 with the same page for every one of them;
//     storage fault → 503 with Retry-After. Decided here, because they are
//     about the HTTP exchange rather than the domain: 403 for a POST
//     failing the CSRF checks, 405 for a method other than GET, HEAD,
//     POST.
//   - CSRF, headers and language as on the survey pages: the form carries
//     csrf = base64url(HMAC-SHA256(key, "csrf|"+token)), compared in
//     constant time; an Origin header, when it names an origin, must be
//     BaseURL's ("Origin: null" counts as absent: browsers send it for
//     forms posted from no-referrer pages). Every page has a strict CSP (no
//     script, no external resource, no framing; inline styles only),
//     nosniff, Referrer-Policy no-referrer, Cache-Control no-store,
//     X-Frame-Options DENY and X-Robots-Tag noindex. No JavaScript, no
//     external assets, no cookies. Pages are in the assessment's Locale
//     (zh-CN or en, else English); pages that know no assessment show both
//     languages, the browser's first.
//
// # Decisions where the issue leaves room
//
//   - Scores are 0–100 with at most one decimal place; "87.50" is 87.5,
//     "87.55" is refused. The server also accepts a decimal comma,
//     surrounding space and full-width digits (typed by a Chinese input
//     method). Scores are parsed in tenths, so no float rounding lets
//     100.04 through.
//   - Inputs are named field:engineer-id ("attitude:E014"), never by
//     position: a form rendered before a lead's team changed cannot credit
//     one engineer's scores to another. A POST missing an engineer added
//     since is a 400 naming them.
//   - The deadline is half-open: the form is open while now < Deadline, as
//     a token is valid while now < Expires. Deadlines should be whole
//     seconds (tokens carry seconds).
//   - Times are shown in the policy's time zone (Handler.Location, the loc
//     of Invitation), with the zone named: "Friday 30 October 2026, 18:00
//     (Asia/Shanghai, UTC+8)"; in Chinese, China's zone is "北京时间".
//   - Comments: line breaks normalised to "\n", control characters
//     dropped, surrounding space trimmed, then at most MaxComment
//     characters each.
//   - The form's body limit grows with the number of engineers
//     (MaxFormBytes); a larger body is 413 with the form again.
//   - The thank-you page is a 200 answer to the POST (no redirect).
//   - Logs name assessment ids, kinds, months, counts and reasons — never
//     a token, an assessor key or e-mail, a score or a comment.
//     Assessment.String does the same, so a stray %v cannot leak them.
package assessmentform
