package ssotest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/tierdesk/tierdesk/internal/testdb"
)

// Directory is Debian's slapd running on loopback with a directory of its
// own: dc=example,dc=com, people under ou=people, groupOfNames groups under
// ou=groups, a read-only service account, and passwords readable by nobody.
type Directory struct {
	URL      string // ldap://127.0.0.1:port (StartTLS offered)
	LDAPSURL string // ldaps://127.0.0.1:port
	CAs      *x509.CertPool
	cmd      *exec.Cmd
	done     <-chan struct{}
}

// Directory names.
const (
	BaseDN       = "dc=example,dc=com"
	PeopleDN     = "ou=people," + BaseDN
	GroupsDN     = "ou=groups," + BaseDN
	ServiceDN    = "cn=reader," + BaseDN
	ServicePass  = "reader-pass-Hq2"
	adminDN      = "cn=admin," + BaseDN
	adminPass    = "admin-pass-Lw9"
	slapdBinary  = "/usr/sbin/slapd"
	slapaddBinar = "/usr/sbin/slapadd"
)

// Person is a directory user.
type Person struct {
	UID, Name, Mail, Password string
	Groups                    []string // cn of groups under ou=groups
}

// UserDN is a person's entry.
func UserDN(uid string) string { return "uid=" + uid + "," + PeopleDN }

// StartSlapd loads people into a new directory and starts slapd on free
// loopback ports until the test ends. Without slapd the test skips (fails
// under CI=true).
func StartSlapd(tb testing.TB, people ...Person) *Directory {
	tb.Helper()
	for _, bin := range []string{slapdBinary, slapaddBinar} {
		if _, err := os.Stat(bin); err != nil {
			testdb.Unavailable(tb, "Debian's slapd is not installed (apt-get install slapd ldap-utils)")
		}
	}
	dir := tb.TempDir()
	cas := writeTLS(tb, dir)
	ports := [2]int{freePort(tb), freePort(tb)}
	conf := filepath.Join(dir, "slapd.conf")
	must(tb, os.MkdirAll(filepath.Join(dir, "data"), 0o700))
	must(tb, os.WriteFile(conf, []byte(slapdConf(dir)), 0o600))
	must(tb, os.WriteFile(filepath.Join(dir, "data.ldif"), []byte(ldif(people)), 0o600))
	if out, err := exec.Command(slapaddBinar, "-f", conf, "-l", filepath.Join(dir, "data.ldif")).CombinedOutput(); err != nil {
		tb.Fatalf("slapadd: %v\n%s", err, out)
	}
	d := &Directory{URL: fmt.Sprintf("ldap://127.0.0.1:%d", ports[0]), LDAPSURL: fmt.Sprintf("ldaps://127.0.0.1:%d", ports[1]),
		CAs: cas}
	var log bytes.Buffer
	d.cmd = exec.Command(slapdBinary, "-f", conf, "-h", d.URL+"/ "+d.LDAPSURL+"/", "-d", "0")
	d.cmd.Stdout, d.cmd.Stderr = &log, &log
	done, err := testdb.StartChild(d.cmd, syscall.SIGKILL)
	must(tb, err)
	d.done = done
	tb.Cleanup(d.Stop)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", ports[0])); err == nil {
			c.Close()
			return d
		}
		select {
		case <-d.done:
			tb.Fatalf("slapd exited:\n%s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("slapd did not listen on %d:\n%s", ports[0], log.String())
		}
	}
}

// Stop stops slapd and waits for it (the directory is down afterwards).
func (d *Directory) Stop() {
	testdb.StopProcess(d.cmd.Process, d.done, 10*time.Second)
}

// TLS is a client configuration that trusts the directory's certificate.
func (d *Directory) TLS() *tls.Config { return &tls.Config{RootCAs: d.CAs, ServerName: "127.0.0.1"} }

// SetGroups makes uid a member of exactly the groups named (as the
// directory's administrator).
func (d *Directory) SetGroups(tb testing.TB, uid string, groups ...string) {
	tb.Helper()
	c, err := ldap.DialURL(d.URL)
	must(tb, err)
	defer c.Close()
	must(tb, c.Bind(adminDN, adminPass))
	res, err := c.Search(ldap.NewSearchRequest(GroupsDN, ldap.ScopeSingleLevel, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=groupOfNames)", []string{"cn", "member"}, nil))
	must(tb, err)
	for _, g := range res.Entries {
		in, want := hasValue(g.GetAttributeValues("member"), UserDN(uid)), hasValue(groups, g.GetAttributeValue("cn"))
		if in == want {
			continue
		}
		m := ldap.NewModifyRequest(g.DN, nil)
		if want {
			m.Add("member", []string{UserDN(uid)})
		} else {
			m.Delete("member", []string{UserDN(uid)})
		}
		must(tb, c.Modify(m))
	}
}

func hasValue(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

func slapdConf(dir string) string {
	return fmt.Sprintf(`include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile %[1]s/slapd.pid
argsfile %[1]s/slapd.args
TLSCACertificateFile %[1]s/ca.pem
TLSCertificateFile %[1]s/server.pem
TLSCertificateKeyFile %[1]s/server.key
database mdb
maxsize 10485760
suffix "%[2]s"
rootdn "%[3]s"
rootpw %[4]s
directory %[1]s/data
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
`, dir, BaseDN, adminDN, adminPass)
}

// ldif is the directory: the base, the two units, the service account, the
// people and every group any of them is in (a groupOfNames needs a member:
// a group nobody is in has the service account).
func ldif(people []Person) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n", BaseDN)
	fmt.Fprintf(&b, "dn: %s\nobjectClass: organizationalUnit\nou: people\n\n", PeopleDN)
	fmt.Fprintf(&b, "dn: %s\nobjectClass: organizationalUnit\nou: groups\n\n", GroupsDN)
	fmt.Fprintf(&b, "dn: %s\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: reader\nuserPassword: %s\n\n", ServiceDN, ServicePass)
	members := map[string][]string{"nobody-group": nil}
	var order []string
	for _, p := range people {
		sn := p.Name[strings.LastIndex(p.Name, " ")+1:]
		fmt.Fprintf(&b, "dn: %s\nobjectClass: inetOrgPerson\nuid: %s\ncn: %s\nsn: %s\nmail: %s\nuserPassword: %s\n\n",
			UserDN(p.UID), p.UID, p.Name, sn, p.Mail, p.Password)
		for _, g := range p.Groups {
			if _, ok := members[g]; !ok {
				order = append(order, g)
			}
			members[g] = append(members[g], UserDN(p.UID))
		}
	}
	for _, g := range append(order, "nobody-group") {
		fmt.Fprintf(&b, "dn: cn=%s,%s\nobjectClass: groupOfNames\ncn: %s\nmember: %s\n", g, GroupsDN, g, ServiceDN)
		for _, m := range members[g] {
			fmt.Fprintf(&b, "member: %s\n", m)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// writeTLS writes a CA and a server certificate for 127.0.0.1 into dir and
// returns a pool trusting the CA.
func writeTLS(tb testing.TB, dir string) *x509.CertPool {
	tb.Helper()
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	must(tb, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Tierdesk test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	must(tb, err)
	caCert, err := x509.ParseCertificate(caDER)
	must(tb, err)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(tb, err)
	srv := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	srvDER, err := x509.CreateCertificate(rand.Reader, srv, caCert, &key.PublicKey, caKey)
	must(tb, err)
	write := func(name, typ string, der []byte) {
		must(tb, os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
	}
	write("ca.pem", "CERTIFICATE", caDER)
	write("server.pem", "CERTIFICATE", srvDER)
	write("server.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key))
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool
}

func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(tb, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
