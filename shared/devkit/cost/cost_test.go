package cost_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"scorecard/shared/devkit/cost"
)

func TestBill(t *testing.T) {
	p := cost.ListPrices()
	tests := []struct {
		name  string
		usage cost.Usage
		want  float64
	}{
		{"nothing", cost.Usage{}, 0},
		{"a million API requests", cost.Usage{APIRequests: 1_000_000}, 1.00},
		{"a million function URL requests: the invocations alone", cost.Usage{URLRequests: 1_000_000}, 0},
		{"a million write and a million read units", cost.Usage{WriteUnits: 1e6, ReadUnits: 1e6}, 0.625 + 0.125},
		{"a thousand mails and a GB attached", cost.Usage{Mails: 1000, AttachmentBytes: 1 << 30}, 0.10 + 0.12},
		// 1 000 000 invocations of 1 s at 1024 MB: $0.20 + 1e6 GB-s.
		{"a million one-second invocations at 1 GB", cost.Usage{Functions: []cost.Function{{Name: "f", MemoryMB: 1024, Invocations: 1e6, Millis: 1e9}}}, 0.20 + 1e6*0.0000133334},
		{"half the memory, half the price per second", cost.Usage{Functions: []cost.Function{{Name: "f", MemoryMB: 512, Invocations: 0, Millis: 1e6}}}, 500 * 0.0000133334},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cost.Total(p.Bill(tc.usage)); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("total %.6f, want %.6f", got, tc.want)
			}
		})
	}
}

func TestPrintPerMillionTickets(t *testing.T) {
	var b bytes.Buffer
	cost.Print(&b, cost.ListPrices().Bill(cost.Usage{APIRequests: 12_000, WriteUnits: 100_000}), 1000)
	// 12 requests and 100 write units a ticket: $12 + $62.50 per million.
	if !strings.Contains(b.String(), "12.00") || !strings.Contains(b.String(), "62.50") || !strings.Contains(b.String(), "74.50") {
		t.Errorf("per million tickets:\n%s", b.String())
	}
}
