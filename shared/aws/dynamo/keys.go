// Package dynamo is the DynamoDB adapter: the single table that holds the
// webhooks' events (the tickets), the month index, the engineer directory,
// surveys, results and everything else the product keeps.
//
// # Single-table design
//
// Every key is built by one small function in this file; nothing else
// formats a key. Ids inside keys are escaped ('%' → %25, '#' → %23) so that
// a '#' in a ticket id can never forge another key.
//
//	item         pk                          sk                   gsi1pk / gsi1sk
//	event        TKT#<source>#<ticket>       E#<event id>         one item per event, written once (expiring)
//	month index  EVM#<yyyy-mm>#<shard>       <source>#<ticket>    a ticket with an event in the month, or open when it began
//	carried      EVM#<yyyy-mm>#carry         CARRIED              the month's index holds the tickets open when the month before ended
//	engineer     ENG#<engineer id>           PROFILE              DIR / ENG#<engineer id>
//	survey       SRV#<survey id>             SURVEY               DUE#<shard> / <due time>#<survey id>  (until sent)
//	customer     CUS#<customer key>          PROFILE              (last surveyed, opted out, looked-up address)
//	record       REC#<yyyy-mm>               <kind>#<record id>   an imported training, knowledge, collaboration or renewal record
//	assessment   ASM#<id>                    ASSESSMENT           ASMM#<yyyy-mm> / <id>  (a self or lead assessment)
//	result       RES#<yyyy-mm>               ENG#<engineer id>    the whole card (metrics, evidence, consequences)
//	result kept  RESV#<yyyy-mm>#<as-of>      ENG#<engineer id>    a card as an earlier run stored it, before a rescore replaced it
//	override     RES#<yyyy-mm>               OVR#<engineer id>    a manager's override (the card keeps the computed grade)
//	history      HIST#<yyyy-mm>              ENG#<engineer id>    the small record consequences read in later months
//	run          RUN#<yyyy-mm>               RUN                  the run's state, as-of time and counts
//	mail         MAIL#<yyyy-mm>              <kind>#<key>         one per mail sent: claimed before, marked after
//	audit        AUDIT#<yyyy-mm>             <time>#<engineer>[#dispute#<id>#<step>]  every override, exclusion and dispute step, kept
//	exclusion    EXC#<yyyy-mm>               <engineer>#<metric>#<source>#<ticket>  a ticket out of an engineer's metric (a dispute accepted)
//	dispute      DSP#<yyyy-mm>               <engineer>#<id>      an engineer's dispute of one place in their month
//	             DSP#<yyyy-mm>               #N#<engineer>        how many the engineer opened (the policy's limit)
//	evidence     EVD#<yyyy-mm>#<engineer>    <run as-of>#<chunk>  every ticket's part in the engineer's metrics, as that run counted it
//	review       QA#<yyyy-mm>                A#<engineer>#<source>#<ticket>  a sampled ticket and its reviewers (the first draw stands)
//	             QA#<yyyy-mm>                R#<engineer>#<source>#<ticket>#<reviewer hash>  one reviewer's review of it (once)
//	check-in     CHK#<yyyy-mm>               <yyyy-mm-dd>#<engineer>  what a mid-month check-in said of the engineer (first of the day kept)
//	             CHK#<yyyy-mm>               DONE#<yyyy-mm-dd>    the day's check-in went out whole: a rerun that day reads this, not the month
//	source       SRC#<source>                SWITCHOVER           when its first webhook was stored (written once)
//	             SRC#<source>                IMPORT               its history import: cursor and counts
//
//	read only, from tables written before event items (legacy.go):
//	ticket       TKT#<source>#<ticket>       STATE                OPEN#<shard> / TKT#<source>#<ticket>  (while unresolved)
//	raw event    EVT#<source>#<ticket>#<event>  EVT               EVM#<yyyy-mm>#<shard> / <source>#<ticket>#<event>  (a ticket's first of the month)
//
// # The write path: one item per event
//
// A webhook's event is one conditional put (attribute_not_exists) of an
// item under 1 KB in its ticket's partition: one write unit, and a
// redelivery is refused by the condition, so every event is stored exactly
// once whatever the senders repeat. Nothing is rewritten: a ticket is the
// set of its event items, and its state is reduced from them, in canonical
// order, when it is read (one query of the partition) — so the order of
// arrival cannot matter. Events are scoped to their ticket, so that a
// sender numbering events per ticket cannot collide, and expire by TTL
// (`expires_at`) after the policy's retention. The table's stream carries
// each new event item; the notifier reads the ticket it names and
// considers its final resolution (surveys are recorded once per
// resolution).
//
// # The month index
//
// The monthly run reads one month without a Scan: each ticket has one
// small entry in the index of every month it has an event in (policy time
// zone), spread over Shards partitions by a hash of the ticket, which the
// run queries in parallel. The entry is written before the ticket's first
// event of the month, after one eventually consistent read finds it
// missing (a warm process remembers the entries it has seen; a delivery
// that creates the ticket writes it unread, a new ticket having none; a
// delivery of many tickets reads 100 entries and writes 25 to a call): a
// retried event finds it, a duplicate entry is the same item. A ticket still open
// when a month ends must be read in the next month too, where its SLA
// deadline may fall without any event: the month's run carries the open
// tickets it read into the next month's index and marks it (CarryOpen); a
// month nobody carried is carried the first time it is read, from the
// month before (TicketsInMonth). An event of the previous month that
// arrives after the month turned is also indexed under the current month,
// which its run may have carried already.
//
// Per event, then: one item write and one write unit, plus about one
// index entry per ticket and month, and half a read unit the first time a
// process sees a ticket it did not create in a month.
package dynamo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/dispute"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/ticket"
)

// Attribute and index names; the CDK stack creates the same.
const (
	AttrPK     = "pk"
	AttrSK     = "sk"
	AttrGSI1PK = "gsi1pk"
	AttrGSI1SK = "gsi1sk"
	AttrTTL    = "expires_at"
	IndexGSI1  = "gsi1"
)

// EventSKPrefix starts the sort key of every event item (tools count them).
const EventSKPrefix = eventSKPrefix

// DefaultShards is the number of month-index partitions.
const DefaultShards = 16

const (
	legacyEventSK  = "EVT"   // a raw event item of the layout before event items
	legacyTicketSK = "STATE" // a ticket item of the layout before event items
	eventSKPrefix  = "E#"
	carrySK        = "CARRIED"
	engineerSK     = "PROFILE"
	directoryPK    = "DIR"
	surveySK       = "SURVEY"
	customerSK     = "PROFILE"
	assessmentSK   = "ASSESSMENT"
	runSK          = "RUN"
	switchoverSK   = "SWITCHOVER"
	importSK       = "IMPORT"

	engineerPrefix = "ENG#" // result and history sort keys
	overridePrefix = "OVR#"
)

var escaper = strings.NewReplacer("%", "%25", "#", "%23")

func esc(s string) string { return escaper.Replace(s) }

// legacyEventPK is a raw event item's key in the layout before event items.
func legacyEventPK(source, ticketID, eventID string) string {
	return "EVT#" + esc(source) + "#" + esc(ticketID) + "#" + esc(eventID)
}

// eventSK is an event's key in its ticket's partition.
func eventSK(eventID string) string { return eventSKPrefix + esc(eventID) }

// indexSK is a ticket's key in a month index partition.
func indexSK(source, ticketID string) string { return esc(source) + "#" + esc(ticketID) }

// carryPK marks a month whose index holds the tickets still open when the
// month before it ended (CarryOpen).
func carryPK(m month.Month) string { return "EVM#" + m.String() + "#carry" }

func ticketPK(source, ticketID string) string { return "TKT#" + esc(source) + "#" + esc(ticketID) }

func engineerPK(id string) string { return engineerPrefix + esc(id) }

func surveyPK(id string) string    { return "SRV#" + esc(id) }
func customerPK(key string) string { return "CUS#" + esc(key) }
func duePK(shard int) string       { return "DUE#" + strconv.Itoa(shard) }

// dueSK sorts a shard's due surveys by time; stamp's fixed width keeps the
// order of the text that of the times.
func dueSK(at time.Time, surveyID string) string { return stamp(at) + "#" + surveyID }

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// stampLayout is how times are kept in keys and attributes: fixed width,
// so that they sort as they compare.
const stampLayout = "2006-01-02T15:04:05.000000000Z"

func recordPK(m month.Month) string      { return "REC#" + m.String() }
func recordSK(kind, id string) string    { return kind + "#" + esc(id) }
func assessmentPK(id string) string      { return "ASM#" + esc(id) }
func assessmentsPK(m month.Month) string { return "ASMM#" + m.String() }
func resultPK(m month.Month) string      { return "RES#" + m.String() }
func historyPK(m month.Month) string     { return "HIST#" + m.String() }
func runPK(m month.Month) string         { return "RUN#" + m.String() }
func mailPK(m month.Month) string        { return "MAIL#" + m.String() }
func auditPK(m month.Month) string       { return "AUDIT#" + m.String() }
func sourcePK(source string) string      { return "SRC#" + esc(source) }
func evidencePK(m month.Month, engineerID string) string {
	return "EVD#" + m.String() + "#" + esc(engineerID)
}
func exclusionPK(m month.Month) string { return "EXC#" + m.String() }

// Quality reviews: QA#<month> / A#… the assignment, R#… a review; a
// reviewer's address is kept out of the key as a hash.
func qualityPK(m month.Month) string { return "QA#" + m.String() }
func assignmentSK(engineerID, source, ticketID string) string {
	return "A#" + esc(engineerID) + "#" + esc(source) + "#" + esc(ticketID)
}
func reviewSK(engineerID, source, ticketID, reviewer string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(reviewer)))
	return "R#" + esc(engineerID) + "#" + esc(source) + "#" + esc(ticketID) + "#" + hex.EncodeToString(sum[:8])
}

// Check-ins: CHK#<month> / <day>#<engineer>, and DONE#<day> once the
// day's check-in went out whole (a day begins with a digit).
func checkInPK(m month.Month) string          { return "CHK#" + m.String() }
func checkInSK(day, engineerID string) string { return day + "#" + esc(engineerID) }
func checkInDoneSK(day string) string         { return checkInDonePrefix + esc(day) }

const checkInDonePrefix = "DONE#"

// Disputes: DSP#<month> / <engineer>#<id>, and #N#<engineer> counting them.
func disputePK(m month.Month) string          { return "DSP#" + m.String() }
func disputeSK(engineerID, id string) string  { return esc(engineerID) + "#" + id }
func disputeCountSK(engineerID string) string { return "#N#" + esc(engineerID) }
func disputeAuditSK(d dispute.Dispute, step string) string {
	at := d.OpenedAt
	if step != string(dispute.Open) {
		at = d.SettledAt
	}
	return auditSK(at, d.EngineerID) + "#dispute#" + d.ID + "#" + step
}

func resultVersionPK(m month.Month, asOf time.Time) string {
	return "RESV#" + m.String() + "#" + stamp(asOf)
}
func exclusionSK(x metric.Exclusion) string {
	return esc(x.EngineerID) + "#" + esc(string(x.Metric)) + "#" + esc(x.Source) + "#" + esc(x.TicketID)
}
func evidenceSK(asOf time.Time, seq int) string { return fmt.Sprintf("%s#%04d", stamp(asOf), seq) }
func overrideSK(engineerID string) string       { return overridePrefix + esc(engineerID) }

// mailSK is the monthly run's own key of a mail (<kind>#<recipient>),
// stored as the run gives it.
func mailSK(key string) string { return key }

func auditSK(at time.Time, engineerID string) string {
	return at.UTC().Format(time.RFC3339Nano) + "#" + esc(engineerID)
}

// idAfter reads the id back out of a sort key that is prefix + esc(id).
func idAfter(prefix, sk string) string { return unesc(strings.TrimPrefix(sk, prefix)) }

// monthShardPK is the month index partition of a shard.
func monthShardPK(m month.Month, shard int) string { return fmt.Sprintf("EVM#%s#%02d", m, shard) }

// openShardPK is the open-ticket index partition of a shard.
func openShardPK(shard int) string { return fmt.Sprintf("OPEN#%02d", shard) }

// legacyIndexSK is a month index entry's gsi1sk in the layout before
// event items.
func legacyIndexSK(source, ticketID, eventID string) string {
	return esc(source) + "#" + esc(ticketID) + "#" + esc(eventID)
}

// shardOf spreads tickets over the index partitions.
func shardOf(source, ticketID string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(ticketID))
	return int(h.Sum32() % uint32(shards))
}

// TicketKey names a ticket.
type TicketKey = ticket.Key

// parseIndexSK reads the ticket back out of a month index sort key
// (<source>#<ticket>, or <source>#<ticket>#<event> in gsi1 before event
// items).
func parseIndexSK(sk string) (TicketKey, bool) {
	parts := strings.Split(sk, "#")
	if len(parts) != 2 && len(parts) != 3 {
		return TicketKey{}, false
	}
	return TicketKey{Source: unesc(parts[0]), ID: unesc(parts[1])}, true
}

// parseTicketPK reads the ticket back out of a ticket partition key.
func parseTicketPK(pk string) (TicketKey, bool) {
	parts := strings.Split(pk, "#")
	if len(parts) != 3 || parts[0] != "TKT" {
		return TicketKey{}, false
	}
	return TicketKey{Source: unesc(parts[1]), ID: unesc(parts[2])}, true
}

var unescaper = strings.NewReplacer("%23", "#", "%25", "%")

func unesc(s string) string { return unescaper.Replace(s) }
