package jira

import (
	"context"
	"net/url"
	"strings"

	"scorecard/shared/source/vendorapi"
)

// Users reads users from the Jira REST API: Jira Cloud webhooks carry the
// reporter's accountId, not an address. On Jira Cloud (a site under
// atlassian.net) the id is the accountId (GET /rest/api/3/user?accountId=);
// on Server and Data Center it is the user key (GET /rest/api/2/user?key=).
// Credentials: the site's URL and an API token with the e-mail it belongs
// to (Cloud, HTTP Basic), or a personal access token alone (Data Center,
// Bearer). A Cloud user whose profile hides the address has none.
type Users struct {
	API   *vendorapi.Client
	Cloud bool
}

// NewUsers reads the edition from the credentials, else from the site's
// URL (Cloud sites are under atlassian.net).
func NewUsers(api *vendorapi.Client, c vendorapi.Credentials) Users {
	switch strings.ToLower(c.Edition) {
	case "cloud":
		return Users{API: api, Cloud: true}
	case "datacenter", "data center", "server":
		return Users{API: api}
	}
	u, err := url.Parse(c.BaseURL)
	cloud := err == nil && (strings.HasSuffix(u.Hostname(), ".atlassian.net") || strings.HasSuffix(u.Hostname(), ".jira.com"))
	return Users{API: api, Cloud: cloud}
}

// Contact returns a user's address.
func (u Users) Contact(ctx context.Context, id string) (vendorapi.Contact, error) {
	var answer struct {
		EmailAddress string `json:"emailAddress"`
		DisplayName  string `json:"displayName"`
		Locale       string `json:"locale"`
	}
	path, q := "/rest/api/2/user", url.Values{"key": {id}}
	if u.Cloud {
		path, q = "/rest/api/3/user", url.Values{"accountId": {id}}
	}
	if err := u.API.GetJSON(ctx, path, q, &answer); err != nil {
		return vendorapi.Contact{}, err
	}
	return vendorapi.ContactFrom(answer.EmailAddress, answer.DisplayName, answer.Locale)
}
