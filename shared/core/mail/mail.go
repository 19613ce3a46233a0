// Package mail owns the shape of a rendered mail, shared by everything that
// builds mail (reports, surveys, assessments), and the MIME message that
// every sender (SES, an SMTP relay) sends, without pulling the report's
// chart and workbook libraries into functions that only send a survey.
package mail

// Part is one MIME part of a mail besides its bodies: an inline image
// (ContentID set, referenced from the HTML as "cid:"+ContentID) or an
// attachment.
type Part struct {
	Filename, ContentType, ContentID string
	Data                             []byte
}

// Mail is a rendered mail: subject, HTML and plain-text bodies, inline
// images and attachments. Addressing is the sender's business.
type Mail struct {
	Subject, HTML, Text string
	Inline              []Part
	Attachments         []Part
}
