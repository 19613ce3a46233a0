// Package cost owns the AWS cost model: what a measured run of the product
// (API requests, Lambda invocations and their duration, DynamoDB request
// units, mails) costs at list prices, and what that makes per ticket. The
// demo measures the usage on the local stack (the request units are
// DynamoDB Local's own ConsumedCapacity figures, which on-demand tables
// bill); BENCHMARKS.md derives the cost per million tickets from it.
package cost

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Prices are list prices in US dollars.
type Prices struct {
	Source string // where and when they were read

	APIRequestsPerMillion    float64 // API Gateway HTTP API, first 300 million a month
	LambdaRequestsPerMillion float64
	LambdaGBSecond           float64 // arm64
	WriteUnitsPerMillion     float64 // DynamoDB on-demand write request units
	ReadUnitsPerMillion      float64 // DynamoDB on-demand read request units
	MailsPerThousand         float64 // SES outbound
	AttachmentsPerGB         float64 // SES, attachment data
}

// ListPrices are the us-east-1 list prices the figures in BENCHMARKS.md use.
func ListPrices() Prices {
	return Prices{
		Source:                   "AWS list prices, us-east-1, as published in 2025–2026 (DynamoDB on-demand after the November 2024 reduction)",
		APIRequestsPerMillion:    1.00,
		LambdaRequestsPerMillion: 0.20,
		LambdaGBSecond:           0.0000133334,
		WriteUnitsPerMillion:     0.625,
		ReadUnitsPerMillion:      0.125,
		MailsPerThousand:         0.10,
		AttachmentsPerGB:         0.12,
	}
}

// Function is one Lambda function's measured use.
type Function struct {
	Name        string
	MemoryMB    int
	Invocations int64
	Millis      float64 // billed duration in all, ms
}

// Usage is what a run used.
type Usage struct {
	APIRequests int64 // through API Gateway (the forms; the webhooks too with webhookEndpoint api)
	// URLRequests came through a Lambda function URL (the webhooks, by
	// default), which Lambda bills as the invocation alone.
	URLRequests     int64
	Functions       []Function
	ReadUnits       float64
	WriteUnits      float64
	Mails           int64
	AttachmentBytes int64
}

// Line is one item of a bill.
type Line struct {
	Item     string
	Quantity string
	Dollars  float64
}

// Bill is the cost of a usage at prices, item by item.
func (p Prices) Bill(u Usage) []Line {
	lines := []Line{
		{"API Gateway HTTP API requests", fmt.Sprintf("%d", u.APIRequests), float64(u.APIRequests) / 1e6 * p.APIRequestsPerMillion},
	}
	if u.URLRequests > 0 {
		lines = append(lines, Line{"Lambda function URL requests", fmt.Sprintf("%d", u.URLRequests), 0})
	}
	fns := slices.Clone(u.Functions)
	slices.SortFunc(fns, func(a, b Function) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	for _, f := range fns {
		gbs := f.Millis / 1000 * float64(f.MemoryMB) / 1024
		lines = append(lines, Line{
			fmt.Sprintf("Lambda %s (%d MB, arm64)", f.Name, f.MemoryMB),
			fmt.Sprintf("%d invocations, %.0f GB-s", f.Invocations, gbs),
			float64(f.Invocations)/1e6*p.LambdaRequestsPerMillion + gbs*p.LambdaGBSecond,
		})
	}
	lines = append(lines,
		Line{"DynamoDB write request units", fmt.Sprintf("%.0f", u.WriteUnits), u.WriteUnits / 1e6 * p.WriteUnitsPerMillion},
		Line{"DynamoDB read request units", fmt.Sprintf("%.0f", u.ReadUnits), u.ReadUnits / 1e6 * p.ReadUnitsPerMillion},
		Line{"SES mails", fmt.Sprintf("%d (%.1f MB attached)", u.Mails, float64(u.AttachmentBytes)/(1<<20)), float64(u.Mails)/1000*p.MailsPerThousand + float64(u.AttachmentBytes)/(1<<30)*p.AttachmentsPerGB},
	)
	return lines
}

// Total adds up a bill.
func Total(lines []Line) float64 {
	t := 0.0
	for _, l := range lines {
		t += l.Dollars
	}
	return t
}

// Print writes a bill with its total and, for tickets > 0, the cost per
// million tickets at the same use per ticket.
func Print(w io.Writer, lines []Line, tickets int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tUSE\tUSD\tUSD PER MILLION TICKETS")
	per := func(d float64) string {
		if tickets <= 0 {
			return ""
		}
		return fmt.Sprintf("%.2f", d/float64(tickets)*1e6)
	}
	for _, l := range lines {
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%s\n", l.Item, l.Quantity, l.Dollars, per(l.Dollars))
	}
	fmt.Fprintf(tw, "total\t\t%.4f\t%s\n", Total(lines), per(Total(lines)))
	tw.Flush()
}
