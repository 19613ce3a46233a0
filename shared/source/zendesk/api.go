package zendesk

import (
	"context"
	"net/url"

	"scorecard/shared/source/vendorapi"
)

// Users reads end users from the Zendesk Support API: the requester of an
// event-subscription webhook is only an id. Credentials: the account's URL
// (https://acme.zendesk.com), user "<agent e-mail>/token" and an API token.
type Users struct{ API *vendorapi.Client }

// Contact returns a user's address: GET /api/v2/users/{id}.
func (u Users) Contact(ctx context.Context, id string) (vendorapi.Contact, error) {
	var answer struct {
		User struct {
			Email  string `json:"email"`
			Name   string `json:"name"`
			Locale string `json:"locale"`
		} `json:"user"`
	}
	if err := u.API.GetJSON(ctx, "/api/v2/users/"+url.PathEscape(id), nil, &answer); err != nil {
		return vendorapi.Contact{}, err
	}
	return vendorapi.ContactFrom(answer.User.Email, answer.User.Name, answer.User.Locale)
}
