package freshdesk

import (
	"context"
	"net/url"

	"scorecard/shared/source/vendorapi"
)

// Contacts reads contacts from the Freshdesk API, for rule bodies that
// name the requester by {{ticket.requester.id}} only. Credentials: the
// helpdesk's URL (https://acme.freshdesk.com), user = an API key, token "X".
type Contacts struct{ API *vendorapi.Client }

// Contact returns a contact's address: GET /api/v2/contacts/{id}.
func (c Contacts) Contact(ctx context.Context, id string) (vendorapi.Contact, error) {
	var answer struct {
		Email    string `json:"email"`
		Name     string `json:"name"`
		Language string `json:"language"`
	}
	if err := c.API.GetJSON(ctx, "/api/v2/contacts/"+url.PathEscape(id), nil, &answer); err != nil {
		return vendorapi.Contact{}, err
	}
	return vendorapi.ContactFrom(answer.Email, answer.Name, answer.Language)
}
