// Package source is the one list of ticketing systems the product reads
// (DESIGN §3). Each system is a package of its own beside this one
// (zendesk, jira, freshdesk, generic) that turns the vendor's webhook into
// events and, where the vendor has an API, reads a customer's address from
// it; this package names them once. The webhook routes, the secrets a
// function needs, the directory's agent-id columns, the contact lookups of
// the notifier, the demo's replay, the CLI and the CDK stack all read All,
// so adding a system is its package and one entry here.
//
// Source packages import the core and nothing else of the product.
package source

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"scorecard/shared/core/directory"
	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/vendorapi"
	"scorecard/shared/source/zendesk"
)

// Source is one ticketing system.
type Source struct {
	// Name is the system's name everywhere: the route /webhooks/<Name>,
	// the secret webhook/<Name> (and api/<Name>), event.Event.Source, the
	// directory's External key and the policy's sources.<Name>.
	Name string
	// Title is the name as people write it ("Zendesk").
	Title string
	// IDColumn is the engineers CSV column holding an engineer's agent id
	// in the system (DESIGN §5).
	IDColumn string
	// UserAgent is the User-Agent the system's webhooks carry (the demo
	// sends it too); empty where it is the sender's own.
	UserAgent string
	// Verify checks a delivery's signature (or bearer secret) in constant
	// time; now bounds a signed timestamp's age where the system sends one.
	Verify func(secret []byte, h http.Header, body []byte, now time.Time) error
	// Sign sets the headers with which the system would sign body: the
	// counterpart of Verify, for the demo, load and tests.
	Sign func(h http.Header, secret, body []byte, now time.Time)
	// Parser reads the system's webhooks with the policy's settings for it.
	Parser func(policy.Source) func(event.Delivery) ([]event.Event, error)
	// Contacts reads customers' addresses from the system's API with the
	// given credentials; nil where the system has no API to ask.
	Contacts func(api *vendorapi.Client, c vendorapi.Credentials) Contacts
	// TicketPath is where a ticket opens in the system's web app, below
	// the API credentials' base_url (the evidence page links each ticket);
	// nil for a system without one.
	TicketPath func(ticketID string) string
	// History reads the system's past from its API, page by page, as the
	// events its webhooks would have produced (scorecard history import);
	// nil for a source without an API.
	History func(api *vendorapi.Client, c vendorapi.Credentials, set policy.Source, since time.Time, o HistoryOptions) vendorapi.Exporter
}

// Contacts reads one customer's name and address from a vendor's API.
// HistoryOptions narrow an import.
type HistoryOptions struct {
	// Query narrows the tickets (Jira: JQL such as "project = SUP").
	Query string
}

type Contacts interface {
	Contact(ctx context.Context, customerID string) (vendorapi.Contact, error)
}

// All are the ticketing systems, in the order they are listed to people
// (the engineers CSV's columns follow it).
var All = []Source{
	{
		Name: zendesk.Source, Title: "Zendesk", IDColumn: "zendesk_id", UserAgent: "Zendesk Webhook",
		Verify: zendesk.Verify,
		Sign: func(h http.Header, secret, body []byte, now time.Time) {
			ts := now.UTC().Format(time.RFC3339)
			h.Set(zendesk.TimestampHeader, ts)
			h.Set(zendesk.SignatureHeader, zendesk.Sign(secret, ts, body))
		},
		Parser: zendesk.Parser,
		Contacts: func(api *vendorapi.Client, _ vendorapi.Credentials) Contacts {
			return zendesk.Users{API: api}
		},
		History: func(api *vendorapi.Client, _ vendorapi.Credentials, _ policy.Source, since time.Time, _ HistoryOptions) vendorapi.Exporter {
			return zendesk.NewExporter(api, since)
		},
		TicketPath: func(id string) string { return "/agent/tickets/" + url.PathEscape(id) },
	},
	{
		Name: freshdesk.Source, Title: "Freshdesk", IDColumn: "freshdesk_id", UserAgent: "Freshdesk",
		Verify: freshdesk.Verify,
		Sign: func(h http.Header, secret, _ []byte, _ time.Time) {
			h.Set(freshdesk.AuthorizationHeader, "Bearer "+string(secret))
		},
		Parser: freshdesk.Parser,
		Contacts: func(api *vendorapi.Client, _ vendorapi.Credentials) Contacts {
			return freshdesk.Contacts{API: api}
		},
		History: func(api *vendorapi.Client, _ vendorapi.Credentials, set policy.Source, since time.Time, _ HistoryOptions) vendorapi.Exporter {
			return freshdesk.NewExporter(api, set, since)
		},
		TicketPath: func(id string) string { return "/a/tickets/" + url.PathEscape(id) },
	},
	{
		Name: jira.Source, Title: "Jira", IDColumn: "jira_account_id", UserAgent: "Atlassian Webhook HTTP Client",
		Verify: jira.Verify,
		Sign: func(h http.Header, secret, body []byte, _ time.Time) {
			h.Set(jira.SignatureHeader, jira.Sign(secret, body))
		},
		Parser: jira.Parser,
		Contacts: func(api *vendorapi.Client, c vendorapi.Credentials) Contacts {
			return jira.NewUsers(api, c)
		},
		History: func(api *vendorapi.Client, c vendorapi.Credentials, set policy.Source, since time.Time, o HistoryOptions) vendorapi.Exporter {
			return jira.NewExporter(api, c, set, since, o.Query)
		},
		// Tickets are issue ids, which Cloud and Data Center both open here.
		TicketPath: func(id string) string { return "/secure/ViewIssue.jspa?id=" + url.QueryEscape(id) },
	},
	{
		Name: generic.Source, Title: "Generic", IDColumn: "generic_id",
		Verify: generic.Verify,
		Sign: func(h http.Header, secret, body []byte, _ time.Time) {
			h.Set(generic.SignatureHeader, generic.Sign(secret, body))
		},
		Parser: func(policy.Source) func(event.Delivery) ([]event.Event, error) { return generic.Parse },
	},
}

// Names are the systems' names, in All's order.
func Names() []string {
	names := make([]string, len(All))
	for i, s := range All {
		names[i] = s.Name
	}
	return names
}

// Get returns the system named name.
func Get(name string) (Source, bool) {
	i := slices.IndexFunc(All, func(s Source) bool { return s.Name == name })
	if i < 0 {
		return Source{}, false
	}
	return All[i], true
}

// WithAPI are the names of the systems whose API can give a customer's
// address.
func WithAPI() []string {
	var names []string
	for _, s := range All {
		if s.Contacts != nil {
			names = append(names, s.Name)
		}
	}
	return names
}

// Directory is the engineers CSV format with one agent-id column for each
// system.
func Directory() directory.Format {
	f := directory.Format{}
	for _, s := range All {
		f.IDs = append(f.IDs, directory.IDColumn{Column: s.IDColumn, Source: s.Name})
	}
	return f
}

// TicketURLs links tickets to their systems' web apps, below each system's
// API base URL (the api/<source> credentials): "" for a system without
// credentials or a web app.
func TicketURLs(api map[string]vendorapi.Credentials) func(source, ticketID string) string {
	return func(name, id string) string {
		src, ok := Get(name)
		c, has := api[name]
		if !ok || !has || src.TicketPath == nil || id == "" {
			return ""
		}
		return strings.TrimRight(c.BaseURL, "/") + src.TicketPath(id)
	}
}
