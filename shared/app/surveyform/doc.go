// Package surveyform owns what the customer sees of the satisfaction
// survey after a ticket's final resolution (issue 5, DESIGN §1, §4): the
// survey mail (Mail) and the pages behind its links (Handler, serving GET
// and POST /s/{token}), built on the forms kit. The Survey, its Answer and
// the Store the pages read are the core's (package survey); time comes in
// (Handler.Now, the now arguments). The tests use an in-memory Store; the
// DynamoDB adapter lives with the other storage code.
//
// The links are package token's: five survey links (Kind "survey", Subject
// the survey id, Rating 1–5 preselected) and one unsubscribe link (Kind
// "unsubscribe", Subject the customer key), each a fresh token expiring at
// the survey's ExpiresAt.
//
// # Pages
//
//   - A GET never records anything: mail scanners prefetch every link. A
//     survey link shows the form with the link's rating preselected; an
//     answered survey shows the answer and, while it may still be changed
//     (ChangeWindow after the first answer), the form to change it, filled
//     with the stored answer (not the rating of the link opened: reopening
//     a link to look and pressing the button must not change the answer);
//     after that, only the answer. An unsubscribe link shows a confirm
//     button.
//   - A POST records: the answer (200 thank-you page) or the opt-out (200
//     confirmation). Bad input → 400 with the form again, the problem named
//     in the customer's language and what they typed kept; nothing stored.
//     A POST after the change window → 409 "already answered".
//   - Statuses come from the one error table (httpapi.Status): invalid or
//     tampered link, or a survey that is gone from the store → 404 with the
//     same page for every one of them; expired link → 410; storage fault →
//     503 with Retry-After. Two answers are decided here instead, because
//     they are about the HTTP exchange, not the domain: 403 for a POST
//     failing the CSRF checks and 405 for a method other than GET, HEAD,
//     POST.
//   - CSRF: the form carries csrf = base64url(HMAC-SHA256(key,
//     "csrf|"+token)), compared in constant time; an Origin header, when it
//     names an origin, must be BaseURL's. "Origin: null" counts as absent:
//     browsers send it for forms posted from pages with Referrer-Policy
//     no-referrer, which these are. The link token is itself the
//     credential; the csrf field makes a blind cross-site or scripted POST
//     to a leaked link fail unless the page was fetched first.
//   - Every page is HTML (text/html; charset=utf-8) with a strict CSP (no
//     script, no external resource, no framing; inline styles only),
//     nosniff, Referrer-Policy no-referrer, Cache-Control no-store,
//     X-Frame-Options DENY and X-Robots-Tag noindex. No JavaScript, no
//     external assets, no cookies.
//   - Language: the survey's Locale (zh-CN or en, else English). Pages that
//     know no survey — the unsubscribe pages, and errors before a survey is
//     loaded — use the browser's Accept-Language; error pages that know no
//     survey (404, 410, 405, faults) show both languages, the browser's
//     first, each section with its own lang attribute.
//   - Accessibility: the ratings and yes/no are radio buttons in a
//     fieldset with a legend, drawn as large buttons (at least 52 px high)
//     with real <label>s, keyboard-operable (arrow keys, visible focus
//     outline), selection shown by a check mark as well as colour, text
//     contrast at least 4.5:1, a page at most 480 px wide with a viewport
//     meta.
//
// # Decisions where the issue leaves room
//
//   - The change window is half-open: an answer first given at t can be
//     changed until t+24h, not at t+24h (Survey.Changeable; MemStore and the
//     pages share it). A change keeps FirstAt, so changing does not extend
//     the window.
//   - The thank-you page is a 200 answer to the POST (no redirect); sending
//     it again within the window records the same answer again.
//   - Times are not shown in a time zone the customer may not share: the
//     pages say "for another 23 hours"; the mail gives the links' expiry as
//     a date (UTC).
//   - Comments: line breaks normalised to "\n", control characters dropped,
//     surrounding space trimmed, then at most MaxComment characters (runes,
//     which is never more than a browser's maxlength counts).
//   - The log names survey ids, ratings and reasons, never a token, a
//     comment or a customer key.
package surveyform
