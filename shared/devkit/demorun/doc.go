// Package demorun owns `make demo`: it plays generated months through the
// local stack the way they would happen live, and says what came out.
//
// For each month, in order, with one simulated clock shared by the gateway
// and every job (the months lie in the past; the clock makes each step
// happen at its time, so signatures, link expiry, the survey quiet period
// and the assessment deadline all apply as in production):
//
//  1. The month's ticket events go through the real HTTP routes as signed
//     Zendesk, Jira Service Management, Freshdesk and generic webhooks
//     (package replay; the generic sender posts batches), from concurrent
//     senders that retry on 503 as the systems do.
//  2. Every ticket resolved in the month is handed to the notifier as the
//     table's stream would hand it over, at its resolution time plus the
//     policy's delay; the survey mails go to the SES server. The customers
//     who answer (the generator's survey answers) open the link for their
//     rating in the mail and submit the form over HTTP at the time they
//     answered.
//  3. The month-end assessment round starts on its day and mails its
//     invitations; each team lead and most engineers open their link and
//     submit their scores over HTTP; the reminder goes to the rest.
//  4. Training, knowledge-test and collaboration records arrive on the
//     signed records webhook.
//  5. The monthly run scores the month at 06:00 on the 1st, stores the
//     cards and mails each manager a team report and each engineer a
//     scorecard; the reports are also written under Out.
//
// At the end it renders a manager report in headless Chromium (when
// installed), lists the SES server's mails in a file, and returns a Summary
// that prints as the demo's closing table, with what the same use would
// cost on AWS.
//
// What the replay cannot carry exactly is listed in package replay; the
// demo adds one decision: survey answers reach the product only through the
// survey links, so a customer the product did not survey (a Zendesk ticket,
// whose webhooks carry no requester address; a customer in the quiet
// period) does not answer.
package demorun
