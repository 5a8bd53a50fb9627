package jamf

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/flowbench/flowbench/connectors/kit"
	"github.com/flowbench/flowbench/engine"
)

var (
	in    = kit.Input
	param = kit.Param
)

// out is an output with its display label.
func out(group, key, typ, label string) engine.FieldSpec {
	return engine.FieldSpec{Key: key, Group: group, Type: engine.T(typ), Label: label}
}

func choice(key, label string, def string, vals ...[2]string) engine.FieldSpec {
	f := engine.FieldSpec{Key: key, Group: "parameters", Type: engine.T("string"), Label: label, Default: def}
	for _, v := range vals {
		f.Choices = append(f.Choices, engine.Choice{Value: v[0], Label: v[1]})
	}
	return f
}

// Computer outputs: key → (group, path in the computer record, type, label).
type outMap struct{ group, key, path, typ, label string }

var computerOuts = []outMap{
	{"Computer", "id_2DXUWK", "general.id", "number", "ID"},
	{"Computer", "name_CYCHY7", "general.name", "string", "Name"},
	{"Computer", "mac_address_Q3OIZ2", "general.mac_address", "string", "MAC Address"},
	{"Computer", "alt_mac_address_5ZDNAV", "general.alt_mac_address", "string", "Alt Mac Address"},
	{"Computer", "ip_address_OPGHB3", "general.ip_address", "string", "IP Address"},
	{"Computer", "alt_ip_address_34S0W1", "general.last_reported_ip", "string", "Alt IP Address"},
	{"Computer", "serial_number_VDUVBY", "general.serial_number", "string", "Serial Number"},
	{"Computer", "udid_3DC8AG", "general.udid", "string", "UDID"},
	{"Computer", "jamf_version_WYNDSU", "general.jamf_version", "string", "Jamf Version"},
	{"Computer", "barcode_1_TXPGF5", "general.barcode_1", "string", "Barcode 1"},
	{"Computer", "barcode_2_TF0HRM", "general.barcode_2", "string", "Barcode 2"},
	{"Computer", "asset_tag_UWAPQI", "general.asset_tag", "string", "Asset Tag"},
	{"Computer", "supervised_GA5VBJ", "general.supervised", "boolean", "Supervised"},
	{"Computer", "mdm_capable_HEUOH6", "general.mdm_capable", "boolean", "MDM Capable"},
	{"Computer", "report_date_utc_N4BQHR", "general.report_date_utc", "date", "Report Date UTC"},
	{"Computer", "last_contact_time_utc_HQFAC8", "general.last_contact_time_utc", "date", "Last Contact Time UTC"},
	{"Computer", "initial_entry_date_utc_YOB4OL", "general.initial_entry_date_utc", "date", "Initial Entry Date UTC"},
	{"Computer", "last_enrollment_date_utc_P9BPZK", "general.last_enrollment_date_utc", "date", "Last Enrollment Date UTC"},
	{"Computer", "site_7KL6JZ", "general.site", "object", "Site"},
	{"Computer", "extension_attributes_XGZZTT", "extension_attributes", "object[]", "Extension Attributes"},
	{"Computer", "raw_output_YOOZTK", "", "object", "Raw Output"},
	{"Location", "username_88LMCA", "location.username", "string", "Username"},
	{"Location", "real_name_LVFFDB", "location.real_name", "string", "Real Name"},
	{"Location", "email_OELXAX", "location.email_address", "string", "Email"},
	{"Location", "position_G1T0KH", "location.position", "string", "Position"},
	{"Location", "phone_PKEFUO", "location.phone", "string", "Phone"},
	{"Location", "department_AJCZOU", "location.department", "string", "Department"},
	{"Location", "building_ZNUIGY", "location.building", "string", "Building"},
	{"Location", "room_D7COAH", "location.room", "string", "Room"},
	{"Hardware", "brand_BTY9S9", "hardware.make", "string", "Brand"},
	{"Hardware", "model_WDWU12", "hardware.model", "string", "Model"},
	{"Hardware", "model_identifier_XFZH4P", "hardware.model_identifier", "string", "Model Identifier"},
	{"Hardware", "os_name_IU3DPC", "hardware.os_name", "string", "OS Name"},
	{"Hardware", "os_version_YZC6BR", "hardware.os_version", "string", "OS Version"},
	{"Hardware", "os_build_TEZMNB", "hardware.os_build", "string", "OS Build"},
	{"Hardware", "ad_status_0RXYRW", "hardware.active_directory_status", "string", "AD Status"},
	{"Hardware", "sip_status_YSBWEW", "hardware.sip_status", "string", "SIP Status"},
	{"Hardware", "disk_encryption_configuration_IYFFC0", "hardware.disk_encryption_configuration", "string", "Disk Encryption Configuration"},
}

var userOuts = []outMap{
	{"User", "id_Q5IXJN", "id", "number", "ID"},
	{"User", "name_RRG385", "name", "string", "Name"},
	{"User", "full_name_ZMFRRK", "full_name", "string", "Full Name"},
	{"User", "email_OVHUTD", "email", "string", "Email"},
	{"User", "phone_number_ZDPGWZ", "phone_number", "string", "Phone Number"},
	{"User", "position_AYBVRX", "position", "string", "Position"},
	{"User", "enable_custom_photo_url_CVJ9EK", "enable_custom_photo_url", "boolean", "Enable Custom Photo URL"},
	{"User", "custom_photo_url_DN6PN7", "custom_photo_url", "string", "Custom Photo URL"},
	{"User", "ldap_server_UPRW3X", "ldap_server", "object", "LDAP Server"},
	{"User", "sites_PQC6WG", "sites", "object[]", "Sites"},
	{"User", "extension_attributes_ZHQCMB", "extension_attributes", "object[]", "Extension Attributes"},
	{"Links", "computers_TLCBQD", "links.computers", "object[]", "Computers"},
	{"Links", "peripherals_HBEZ8B", "links.peripherals", "object[]", "Peripherals"},
	{"Links", "mobile_devices_ZU8K3F", "links.mobile_devices", "object[]", "Mobile Devices"},
	{"Links", "vpp_assignments_LTSEPZ", "links.vpp_assignments", "object[]", "VPP Assignments"},
	{"Links", "total_vpp_code_count_IAL0CQ", "links.total_vpp_code_count", "number", "Total VPP Code Count"},
}

var groupOuts = []outMap{
	{"Mobile Device Group", "id_O3CIRM", "id", "number", "ID"},
	{"Mobile Device Group", "name_H5P4IK", "name", "string", "Name"},
	{"Mobile Device Group", "smart_group_RC9FYP", "is_smart", "boolean", "Smart Group"},
	{"Mobile Device Group", "smart_group_criteria_NPL51E", "criteria", "object[]", "Smart Group Criteria"},
	{"Mobile Device Group", "site_6GM7AN", "site", "object", "Site"},
	{"Mobile Device Group", "mobile_devices_C5UIBX", "mobile_devices", "object[]", "Mobile Devices"},
}

func specs(m []outMap) []engine.FieldSpec {
	var fs []engine.FieldSpec
	for _, o := range m {
		fs = append(fs, out(o.group, o.key, o.typ, o.label))
	}
	return fs
}

// Jamf's Classic API dates: "2026-11-20T09:30:00.000+0000".
var jamfDates = []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano, "2006-01-02 15:04:05"}

func toDate(v any) any {
	s := strings.TrimSpace(engine.ToText(v))
	if s == "" {
		return nil
	}
	for _, l := range jamfDates {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(engine.DateLayout)
		}
	}
	if d, err := engine.ToDate(s); err == nil {
		return d
	}
	return nil
}

// mapOut reads each output from rec (a record of the Classic API).
func mapOut(rec map[string]any, m []outMap) engine.Outputs {
	o := engine.Outputs{}
	for _, f := range m {
		if f.path == "" {
			o[f.key] = rec
			continue
		}
		v := kit.Dig(rec, f.path)
		switch f.typ {
		case "date":
			v = toDate(v)
		case "object[]":
			if v == nil {
				v = []any{}
			}
		}
		o[f.key] = v
	}
	return o
}

// readBy is a "Read By" card: the chosen lookup names the input to read
// ("id" → ID, …) and the Classic API path segment.
type lookup struct{ value, label, input, typ, segment string }

func readCard(okta, title, doc, desc, resource, root, readByKey, group string, by []lookup, outs []outMap) *kit.Card {
	var pairs [][2]string
	ins := []engine.FieldSpec{}
	for _, b := range by {
		pairs = append(pairs, [2]string{b.value, b.label})
	}
	ins = append(ins, choice(readByKey, "Read By", by[0].value, pairs...))
	for _, b := range by {
		ins = append(ins, kit.ShownWhen(in(group, b.input, b.typ, false, b.label), readByKey, b.value)) // the chosen lookup's input only
	}
	return &kit.Card{Okta: NS + ":" + okta, Title: title, Doc: doc, Description: desc, Inputs: ins, Outputs: specs(outs),
		Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
			mode := in.Text(readByKey)
			if mode == "" {
				mode = by[0].value
			}
			var b *lookup
			for i := range by {
				if strings.EqualFold(by[i].value, mode) {
					b = &by[i]
				}
			}
			if b == nil {
				return nil, kit.Errorf(readByKey, "%q is not one of the Read By choices", mode)
			}
			v, err := in.Required(b.input)
			if err != nil {
				return nil, err
			}
			r, err := in.Do(ctx, classic("/"+resource+"/"+b.segment+"/"+url.PathEscape(v)))
			var he *engine.HTTPError
			if errors.As(err, &he) && he.Status == http.StatusNotFound {
				// Jamf's page says only "Not Found": say what was looked for
				he.Summary = fmt.Sprintf("Jamf Pro has no %s with %s %q (%s)", strings.ToLower(group), strings.ToLower(b.label), v, he.Summary)
			}
			if err != nil {
				return nil, err
			}
			rec, _ := kit.Dig(r.Body, root).(map[string]any)
			if rec == nil {
				return nil, &engine.HTTPError{Status: r.Status, Summary: "Jamf Pro answered without a " + root + " record"}
			}
			return mapOut(rec, outs), nil
		}}
}

var computerCommands = []string{"DeleteUser", "DeviceLock", "DisableRemoteDesktop", "EnableRemoteDesktop", "EraseDevice",
	"ScheduleOSUpdate", "SettingsDisableBluetooth", "SettingsEnableBluetooth", "UnlockUserAccount"}

var mobileCommands = []string{"DeviceName", "DeviceLocation", "DeviceLock", "DisableLostMode", "EnableLostMode", "EraseDevice",
	"PasscodeLockGracePeriod", "PlayLostModeSound", "RestartDevice", "ScheduleOSUpdate", "SettingsDisableBluetooth", "ShutDownDevice",
	"Wallpaper", "RefreshCellularPlans"}

// commandParam names, per command, the "Command Info" input whose value
// the Classic API takes in the URL (…/command/DeviceLock/{passcode}/id/{id}).
var commandParam = map[string]map[string]string{
	"computer":     {"DeviceLock": "Passcode", "EraseDevice": "Passcode"},
	"mobiledevice": {"DeviceLock": "Lock Message", "DeviceName": "Device Name", "PasscodeLockGracePeriod": "Grace Period"},
}

func commandCard(okta, title, doc, target, group, idKey, cmdKey, statusKey string, cmds []string, infos ...string) *kit.Card {
	ins := []engine.FieldSpec{in(group, idKey, "number", true, "ID"), param(cmdKey, "Command Name", cmds[0], cmds...)}
	for _, k := range infos {
		ins = append(ins, in("Command Info", k, "string", false, k))
	}
	return &kit.Card{Okta: NS + ":" + okta, Title: title, Doc: doc,
		Description: "Sends an MDM command to a " + strings.ToLower(group) + " through the Classic API; some commands take a value (passcode, lock message, device name).",
		Inputs:      ins, Outputs: []engine.FieldSpec{out("Response", statusKey, "number", "Status Code")},
		Run: func(ctx context.Context, in *kit.In) (engine.Outputs, error) {
			id, err := engine.ToNumber(in.Values[idKey])
			if err != nil || id <= 0 || id != float64(int64(id)) {
				return nil, kit.Errorf(idKey, "must be a Jamf Pro device ID (a positive whole number), not %q", engine.ToText(in.Values[idKey]))
			}
			cmd := in.Text(cmdKey)
			known := false
			for _, c := range cmds {
				known = known || c == cmd
			}
			if !known {
				return nil, kit.Errorf(cmdKey, "%q is not a %s command (%s)", cmd, title, strings.Join(cmds, ", "))
			}
			path := "/JSSResource/" + target + "commands/command/" + cmd
			if k := commandParam[target][cmd]; k != "" {
				if v := in.Text(k); v != "" {
					path += "/" + url.PathEscape(v)
				}
			}
			path += "/id/" + engine.ToText(id)
			r, err := in.Do(ctx, &kit.Call{Method: http.MethodPost, Path: path, Header: http.Header{"Accept": {"application/xml"}}})
			if err != nil {
				return nil, err
			}
			return engine.Outputs{statusKey: float64(r.Status)}, nil
		}}
}

func cards() []*kit.Card {
	return []*kit.Card{
		readCard("readComputer", "Read Computer", "readcomputer.htm",
			"Reads a computer's inventory record (general, location, hardware) by ID, UDID or serial number.",
			"computers", "computer", "read_by_QFVJTI", "Computer",
			[]lookup{{"id", "ID", "ID", "number", "id"}, {"udid", "UDID", "UDID", "string", "udid"},
				{"serialnumber", "Serial Number", "Serial Number", "string", "serialnumber"}}, computerOuts),
		readCard("readUser", "Read User", "readuser.htm",
			"Reads a Jamf Pro user with the devices assigned to them (Links), by ID or username.",
			"users", "user", "read_by_QQQPKG", "User",
			[]lookup{{"id", "ID", "ID", "number", "id"}, {"username", "Username", "Username", "string", "name"}}, userOuts),
		readCard("readMobileDeviceGroup", "Read Mobile Device Group", "readmobiledevicegroup.htm",
			"Reads a mobile device group (static or smart) with its devices, by ID or name.",
			"mobiledevicegroups", "mobile_device_group", "read_by_DY4KPJ", "Mobile Device Group",
			[]lookup{{"id", "ID", "ID", "number", "id"}, {"name", "Name", "Name", "string", "name"}}, groupOuts),
		commandCard("sendComputerMDMCommand", "Send Computer MDM Command", "sendcomputermdmcommand.htm", "computer", "Computer",
			"id_VCMXSM", "command_name_V53YGG", "status_code_QHIZ2E", computerCommands, "Passcode"),
		commandCard("sendMobileDeviceMDMCommand", "Send Mobile Device MDM Command", "sendmobiledevicemdmcommand.htm", "mobiledevice",
			"Mobile Device", "id_W3EFAT", "command_name_NTFBIB", "status_code_PLUBKT", mobileCommands, "Lock Message", "Device Name", "Grace Period"),
	}
}
