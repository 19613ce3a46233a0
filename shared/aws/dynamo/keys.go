// Package dynamo is the DynamoDB adapter: the single table that holds raw
// webhook events, ticket states, the month index and the engineer directory.
//
// # Single-table design
//
// Every key is built by one small function in this file; nothing else
// formats a key. Ids inside keys are escaped ('%' → %25, '#' → %23) so that
// a '#' in a ticket id can never forge another key.
//
//	item                 pk                         sk        gsi1pk                 gsi1sk
//	raw event            EVT#<source>#<ticket id>#<event id>
//	                                                EVT       EVM#<yyyy-mm>#<shard>  <source>#<ticket id>#<event id>
//	                                                          (only the ticket's first event of the month)
//	ticket               TKT#<source>#<ticket id>   STATE     OPEN#<shard> (while unresolved, else absent)
//	engineer             ENG#<engineer id>          PROFILE   DIR                    ENG#<engineer id>
//	survey               SRV#<survey id>            SURVEY    DUE#<shard> (until sent) <due time>#<survey id>
//	customer             CUS#<customer key>         PROFILE   (last surveyed, opted out)
//	monthly results      see results.go
//
// Raw events are written once (a conditional put on the source's event id,
// scoped to its ticket so that a sender numbering events per ticket cannot
// collide)
// and expire by TTL (`expires_at`) after the policy's retention. The ticket
// item holds the ticket's events in canonical order and a version for
// optimistic locking; its state is reduced from them on read. An event costs
// two item writes, made atomically in one transaction: its raw item and its
// ticket (events of one ticket in a batch share the ticket write).
//
// The month index lets the monthly run read one month without a Scan: the
// first raw event of a ticket in each month (policy time zone) is indexed
// under that month — a sparse index, one entry per ticket and month — spread
// over Shards partitions by a hash of the ticket, so the run queries the
// shards in parallel and gets every ticket with activity in the month.
// Unresolved tickets are also indexed under OPEN#<shard>, so a deadline that
// passes in a month without any event on the ticket is still found.
package dynamo

import (
	"fmt"
	"hash/fnv"
	"strings"

	"scorecard/shared/core/month"
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

// DefaultShards is the number of month-index partitions.
const DefaultShards = 16

const (
	eventSK     = "EVT"
	ticketSK    = "STATE"
	engineerSK  = "PROFILE"
	directoryPK = "DIR"
)

var escaper = strings.NewReplacer("%", "%25", "#", "%23")

func esc(s string) string { return escaper.Replace(s) }

func eventPK(source, ticketID, eventID string) string {
	return "EVT#" + esc(source) + "#" + esc(ticketID) + "#" + esc(eventID)
}

func ticketPK(source, ticketID string) string { return "TKT#" + esc(source) + "#" + esc(ticketID) }

func engineerPK(id string) string { return "ENG#" + esc(id) }

// monthShardPK is the month index partition of a shard.
func monthShardPK(m month.Month, shard int) string { return fmt.Sprintf("EVM#%s#%02d", m, shard) }

// openShardPK is the open-ticket index partition of a shard.
func openShardPK(shard int) string { return fmt.Sprintf("OPEN#%02d", shard) }

// eventIndexSK sorts a month's index entries by ticket.
func eventIndexSK(source, ticketID, eventID string) string {
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
type TicketKey struct {
	Source, ID string
}

// parseIndexSK reads the ticket back out of a month index sort key.
func parseIndexSK(sk string) (TicketKey, bool) {
	parts := strings.Split(sk, "#")
	if len(parts) != 3 {
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
