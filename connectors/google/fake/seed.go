package fake

import (
	"fmt"
	"strings"
	"time"
)

// User is a Workspace user of the fake.
type User struct {
	ID, Email, GivenName, FamilyName string
	Admin, Suspended                 bool
	SuspensionReason                 string
	OrgUnit                          string
	Aliases                          []string
	Phone, Title, Department         string
	Created                          time.Time
	ASPs                             []ASP
	Tokens                           []Token
	Mailbox                          *Mailbox
}

// ASP is an application-specific password.
type ASP struct {
	CodeID            int
	Name              string
	Created, LastUsed time.Time
}

// Token is an OAuth grant a user gave a third-party app.
type Token struct {
	ClientID, DisplayText string
	Scopes                []string
	Anonymous, NativeApp  bool
}

// Device is a mobile device.
type Device struct {
	ResourceID, DeviceID, Email, Name, Model, OS, Status, Type string
}

// Group is a Google group.
type Group struct {
	ID, Email, Name, Description string
	Members                      []string
}

// Message is a Gmail message.
type Message struct {
	ID, ThreadID, HistoryID string
	Labels                  []string
	Raw                     []byte // RFC 822
	Internal                time.Time
}

// Mailbox is one user's Gmail.
type Mailbox struct {
	Messages       []*Message
	History        []historyRec
	Delegates      map[string]string // email -> verificationStatus
	Forwarding     map[string]string // email -> verificationStatus
	AutoForwarding map[string]any
	Vacation       map[string]any
	nextHistory    int64
}

type historyRec struct {
	ID  int64
	Msg *Message
}

// File is a Drive file.
type File struct {
	ID, Name, MimeType, Description, Owner string
	Parents                                []string
	Starred, Trashed                       bool
	Content                                []byte
	Created                                time.Time
}

// Sheet is one worksheet of a spreadsheet.
type Sheet struct {
	ID    int64
	Title string
	Rows  [][]string
}

// Spreadsheet is a Google Sheets document.
type Spreadsheet struct {
	ID, Title string
	Sheets    []*Sheet
}

// Transfer is a Data Transfer request.
type Transfer struct {
	ID, OldOwner, NewOwner, Status string
	Apps                           []map[string]any
	Time                           time.Time
}

// License is one license assignment.
type License struct {
	ProductID, SkuID, UserID string
}

// Product SKUs the fake knows (a subset of Google's catalog).
var SKUs = []struct{ ProductID, ProductName, SkuID, SkuName string }{
	{"Google-Apps", "Google Workspace", "1010020020", "Google Workspace Enterprise Plus"},
	{"Google-Apps", "Google Workspace", "1010020028", "Google Workspace Business Starter"},
	{"Google-Apps", "Google Workspace", "1010020025", "Google Workspace Business Plus"},
	{"Google-Apps", "Google Workspace", "1010020027", "Google Workspace Business Standard"},
	{"Google-Apps", "Google Workspace", "Google-Apps-Unlimited", "G Suite Business"},
	{"101031", "Google Workspace for Education", "1010310008", "Google Workspace for Education Plus"},
	{"Google-Vault", "Google Vault", "Google-Vault", "Google Vault"},
	{"101001", "Cloud Identity Free", "1010010001", "Cloud Identity"},
	{"101005", "Cloud Identity Premium", "1010050001", "Cloud Identity Premium"},
	{"Google-Drive-storage", "Google Drive storage", "Google-Drive-storage-20GB", "Google Drive storage 20 GB"},
}

var seedPeople = []struct{ login, given, family, title, dept string }{
	{"sandbox.admin", "Sandbox", "Admin", "IT Administrator", "IT"},
	{"alice.nguyen", "Alice", "Nguyen", "Engineering Manager", "Engineering"},
	{"bob.martinez", "Bob", "Martinez", "Software Engineer", "Engineering"},
	{"carol.okafor", "Carol", "Okafor", "Sales Director", "Sales"},
	{"david.kim", "David", "Kim", "Account Executive", "Sales"},
	{"emma.schmidt", "Emma", "Schmidt", "Recruiter", "People"},
	{"farah.haddad", "Farah", "Haddad", "Security Engineer", "IT"},
	{"george.papadopoulos", "George", "Papadopoulos", "Finance Analyst", "Finance"},
	{"hannah.johansson", "Hannah", "Johansson", "Designer", "Product"},
	{"ibrahim.diallo", "Ibrahim", "Diallo", "Support Lead", "Support"},
	{"julia.rossi", "Julia", "Rossi", "Product Manager", "Product"},
	{"kenji.tanaka", "Kenji", "Tanaka", "Data Scientist", "Engineering"},
}

func (s *Server) seed() {
	base := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	for i, p := range seedPeople {
		u := &User{ID: fmt.Sprintf("1%020d", 4711+i*97), Email: p.login + "@" + s.domain, GivenName: p.given, FamilyName: p.family,
			Admin: i == 0, OrgUnit: "/" + p.dept, Title: p.title, Department: p.dept, Phone: fmt.Sprintf("+1 415 555 %04d", 100+i),
			Created: base.Add(time.Duration(i) * 24 * time.Hour), Mailbox: newMailbox()}
		if i%3 == 1 {
			u.Aliases = []string{strings.Split(p.login, ".")[0] + "@" + s.domain}
		}
		if i > 0 {
			u.ASPs = []ASP{{CodeID: 100 + i, Name: "Thunderbird on laptop", Created: base, LastUsed: base.Add(48 * time.Hour)}}
			u.Tokens = []Token{{ClientID: fmt.Sprintf("%d-slackapp.apps.googleusercontent.com", 98765+i), DisplayText: "Slack",
				Scopes: []string{"openid", "email", "profile"}, NativeApp: false},
				{ClientID: "com.example.mailclient", DisplayText: "Mail Client", Scopes: []string{"https://mail.google.com/"}, NativeApp: true}}
			s.devices = append(s.devices, &Device{ResourceID: fmt.Sprintf("AFiQxQ8%08d", 31+i), DeviceID: fmt.Sprintf("android-%06d", 500+i),
				Email: u.Email, Name: p.given + "'s phone", Model: "Pixel 8", OS: "Android 14", Status: "APPROVED", Type: "ANDROID"})
		}
		s.users = append(s.users, u)
		s.licenses = append(s.licenses, License{ProductID: "Google-Apps", SkuID: "1010020027", UserID: u.Email})
	}
	s.licenses = append(s.licenses, License{ProductID: "Google-Vault", SkuID: "Google-Vault", UserID: "farah.haddad@" + s.domain})
	s.groups = append(s.groups, &Group{ID: "03as4poj1ak9xyz", Email: "engineering@" + s.domain, Name: "Engineering",
		Description: "Everyone in engineering", Members: []string{"alice.nguyen@" + s.domain, "bob.martinez@" + s.domain, "kenji.tanaka@" + s.domain}})
	adm := s.users[0].Email
	s.files = append(s.files,
		&File{ID: "1Onyhit8Me1tyURvhVdPGqKn8ZFGCkhiH", Name: "Onboarding", MimeType: "application/vnd.google-apps.folder", Owner: adm, Created: base},
		&File{ID: "1aWelcomePdf0000000000000000000001", Name: "Welcome.pdf", MimeType: "application/pdf", Owner: adm, Parents: []string{"1Onyhit8Me1tyURvhVdPGqKn8ZFGCkhiH"},
			Content: []byte("%PDF-1.4\n% Welcome to Example Corp\n"), Created: base},
		&File{ID: "1bPolicyTxt0000000000000000000002", Name: "IT policy.txt", MimeType: "text/plain", Owner: adm, Parents: []string{"1Onyhit8Me1tyURvhVdPGqKn8ZFGCkhiH"},
			Content: []byte("Lock your screen. Use the password manager. Report phishing to security@example.com.\n"), Starred: true, Created: base},
		&File{ID: "1cHandbookDoc000000000000000000003", Name: "Employee handbook", MimeType: "application/vnd.google-apps.document", Owner: adm,
			Content: []byte("Employee handbook\n\n1. Welcome\n"), Created: base})
	s.sheets = append(s.sheets, &Spreadsheet{ID: "1TjcI7Mm_6fS9gPuqowvNZeFiA5I8At7bUvqQVfa8L7Q", Title: "Suspended users report",
		Sheets: []*Sheet{{ID: 0, Title: "Sheet1", Rows: [][]string{{"Display Name", "Alternate ID", "Time"}}}}},
		&Spreadsheet{ID: "1CvjyPMovQDWGdO0VJoB932ZOHSsbWpOfbTK64i3-58A", Title: "New hires",
			Sheets: []*Sheet{{ID: 0, Title: "Sheet1", Rows: [][]string{{"userName", "firstName", "lastName", "email"},
				{"liam.obrien@example.com", "Liam", "O'Brien", "liam.obrien@example.com"},
				{"mia.chen@example.com", "Mia", "Chen", "mia.chen@example.com"}}}}},
		&Spreadsheet{ID: "1Ykz1U-MNlSoFA85FDyNVF75PuAGJIWGg_em6QtWtaTQ", Title: "OIG entitlements backup",
			Sheets: []*Sheet{{ID: 0, Title: "Entitlements", Rows: [][]string{{"parentResourceOrn", "parent.externalId", "parent.type",
				"applicationName", "id", "name", "externalValue", "description", "multiValue", "required", "dataType", "values"}}}}})
	// a first message in the admin's inbox
	s.deliverLocked(adm, []byte("From: IT Helpdesk <helpdesk@"+s.domain+">\r\nTo: "+adm+"\r\nSubject: Welcome to the sandbox\r\n"+
		"Date: Mon, 04 Mar 2024 09:00:00 +0000\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nThis mailbox belongs to the Flowbench Google sandbox.\r\n"), []string{"INBOX", "UNREAD"}, base)
}

func newMailbox() *Mailbox {
	return &Mailbox{Delegates: map[string]string{}, Forwarding: map[string]string{}, nextHistory: 1000,
		AutoForwarding: map[string]any{"enabled": false}, Vacation: map[string]any{"enableAutoReply": false}}
}
