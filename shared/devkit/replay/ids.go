package replay

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// sources are the systems of the source registry that Encode has an
// encoder for (the files named after them), in a fixed order; a system
// without one is not replayed.
var sources = []string{zendesk.Source, jira.Source, freshdesk.Source, generic.Source}

func knownSource(s string) bool { return slices.Contains(sources, s) }

// DefaultShares is the mix `make demo` replays: Zendesk 40 %, Jira 25 %,
// Freshdesk 20 %, generic 15 %.
func DefaultShares() map[string]float64 {
	return map[string]float64{zendesk.Source: 0.40, jira.Source: 0.25, freshdesk.Source: 0.20, generic.Source: 0.15}
}

// SourceFor assigns a ticket to a source by a hash of its id, so that every
// event of a ticket goes to the same source in every run. Shares need not
// add up to 1; sources with a share ≤ 0 (or not a number) get nothing. Nil
// or empty shares mean DefaultShares; if no share is positive the ticket
// goes to the generic source.
func SourceFor(ticketID string, shares map[string]float64) string {
	if len(shares) == 0 {
		shares = DefaultShares()
	}
	names := make([]string, 0, len(shares))
	total := 0.0
	for name, s := range shares {
		if s > 0 && !math.IsInf(s, 0) {
			names = append(names, name)
			total += s
		}
	}
	if len(names) == 0 {
		return generic.Source
	}
	slices.Sort(names)
	u := unit("source", ticketID) * total
	for _, name := range names {
		if u < shares[name] {
			return name
		}
		u -= shares[name]
	}
	return names[len(names)-1]
}

// digest hashes parts unambiguously (each is followed by a zero byte).
func digest(parts ...string) [sha256.Size]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// unit maps parts to [0, 1) uniformly.
func unit(parts ...string) float64 {
	d := digest(parts...)
	return float64(binary.BigEndian.Uint64(d[:8])>>11) / (1 << 53)
}

// uuidFor derives a UUID-shaped id (version 8: vendor-specific) from parts.
// Distinct parts collide with probability 2⁻¹²², so distinct events get
// distinct vendor ids and the same event always the same one.
func uuidFor(parts ...string) string {
	d := digest(parts...)
	b := d[:16]
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// numberFor derives a plausible 10- or 11-digit numeric id (comment and
// changelog ids) from parts.
func numberFor(parts ...string) int64 {
	d := digest(parts...)
	return 10_000 + int64(binary.BigEndian.Uint64(d[:8])%90_000_000_000)
}

// jiraProject is the project key of derived Jira issue keys; the ticket id
// of a Jira ticket is its issue id, which keeps when the key changes.
const jiraProject = "SUP-"

// Derived ticket numbers: the demo generator's ticket ids T-YYYYMM-NNNNN
// become month × 10⁶ + N, the month counted from 2000-01 = 1. That is
// reversible, injective and realistic (T-202608-00001 → 320000001).
const (
	perMonth  = 1_000_000
	maxMonths = 100 * 12 // 2000-01 … 2099-12
)

// demoNumber reads a demo ticket id T-YYYYMM-NNNNN (N zero-padded to five
// digits, below 10⁶) into its derived number.
func demoNumber(id string) (int64, bool) {
	rest, ok := strings.CutPrefix(id, "T-")
	if !ok || len(rest) < 12 || rest[6] != '-' {
		return 0, false
	}
	ym, n := rest[:6], rest[7:]
	if !allDigits(ym) || !allDigits(n) {
		return 0, false
	}
	year, _ := strconv.Atoi(ym[:4])
	mon, _ := strconv.Atoi(ym[4:])
	num, err := strconv.ParseInt(n, 10, 64)
	if err != nil || year < 2000 || year > 2099 || mon < 1 || mon > 12 || num >= perMonth || pad5(num) != n {
		return 0, false
	}
	return int64((year-2000)*12+mon)*perMonth + num, true
}

// demoID is the inverse of demoNumber.
func demoID(n int64) (string, bool) {
	m := n / perMonth
	if m < 1 || m > maxMonths {
		return "", false
	}
	year, mon := 2000+(m-1)/12, (m-1)%12+1
	return fmt.Sprintf("T-%04d%02d-%s", year, mon, pad5(n%perMonth)), true
}

func pad5(n int64) string { return fmt.Sprintf("%05d", n) }

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// canonicalInt reads a non-negative decimal integer written without a sign
// or leading zeros.
func canonicalInt(s string) (int64, bool) {
	if !allDigits(s) || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// VendorTicketID is the id a ticket has in source: Zendesk and Freshdesk
// ticket numbers and Jira issue ids (keys SUP-<number>) derived from the demo
// generator's ids T-YYYYMM-NNNNN; any other id is used as it is (the
// adapters accept string ids). The store keys tickets by (source, this id).
// An id that would read back as a derived one (e.g. "320000001" for
// Zendesk) is refused, so the mapping stays injective.
func VendorTicketID(source, ticketID string) (string, error) {
	if !knownSource(source) {
		return "", fmt.Errorf("replay: unknown source %q: use zendesk, jira, freshdesk or generic", source)
	}
	if source == generic.Source {
		return ticketID, nil
	}
	if n, ok := demoNumber(ticketID); ok {
		return strconv.FormatInt(n, 10), nil
	}
	if TicketID(source, ticketID) != ticketID {
		return "", fmt.Errorf("replay: ticket id %q reads as a derived %s id", ticketID, source)
	}
	return ticketID, nil
}

// TicketID maps a source's ticket id back to the ticket id of the events
// that were encoded: the inverse of VendorTicketID.
func TicketID(source, vendorTicketID string) string {
	num := vendorTicketID
	switch source {
	case zendesk.Source, freshdesk.Source, jira.Source:
	default:
		return vendorTicketID
	}
	if n, ok := canonicalInt(num); ok {
		if id, ok := demoID(n); ok {
			return id
		}
	}
	return vendorTicketID
}
