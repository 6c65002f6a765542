import EngineClient
import Testing

@testable import BerthCommands

@Suite struct OutputTests {
  @Test func goTemplates() throws {
    let data = try JSON.parse(
      #"{"Id":"abc","State":{"Status":"running","Pid":42,"Running":true},"Config":{"Cmd":["echo","hi"],"Labels":{"b":"2","a":"x<y"}},"Mounts":[{"Source":"/a"},{"Source":"/b"}]}"#
    )
    func r(_ t: String) throws -> String { try GoTemplate(t).render(data) }
    #expect(try r("{{.Id}}") == "abc")
    #expect(try r("{{.State.Status}} {{.State.Pid}}") == "running 42")
    #expect(try r("{{json .Config.Cmd}}") == #"["echo","hi"]"#)
    #expect(try r("{{json .Config.Labels}}") == #"{"b":"2","a":"x\u003cy"}"#)
    #expect(try r("{{.Config.Cmd}}") == "[echo hi]")
    #expect(try r("{{.Config.Labels}}") == "map[a:x<y b:2]")
    #expect(try r(#"{{index .Config.Labels "b"}}"#) == "2")
    #expect(try r(#"{{join .Config.Cmd ","}}"#) == "echo,hi")
    #expect(try r("{{range .Mounts}}{{.Source}};{{end}}") == "/a;/b;")
    #expect(try r("{{if .State.Running}}up{{else}}down{{end}}") == "up")
    #expect(try r("{{.Missing}}") == "<no value>")
    #expect(try r("{{.Id | upper}}") == "ABC")
    #expect(try r("a  {{- .Id -}}  b") == "aabcb")
    #expect(try r(#"{{if eq .State.Status "running"}}yes{{end}}"#) == "yes")
    #expect(throws: (any Error).self) { try GoTemplate("{{.Id") }
  }

  @Test func tableFormatting() throws {
    let f = ListFormatter(defaultTable: "table {{.ID}}\t{{.Name}}", headers: ["ID": "CONTAINER ID", "Name": "NAME"])
    let rows: [JSON] = [
      .object([.init("ID", .string("abc")), .init("Name", .string("n1"))]),
      .object([.init("ID", .string("0123456789ab")), .init("Name", .string("longer-name"))]),
    ]
    #expect(
      try f.render(format: nil, rows: rows) == "CONTAINER ID   NAME\nabc            n1\n0123456789ab   longer-name\n")
    #expect(try f.render(format: "{{.Name}}", rows: rows) == "n1\nlonger-name\n")
    #expect(
      try f.render(format: "table {{.Name}}\\t{{.ID}}", rows: rows)
        == "NAME          CONTAINER ID\nn1            abc\nlonger-name   0123456789ab\n")
    #expect(try f.render(format: "json", rows: [rows[0]]) == #"{"ID":"abc","Name":"n1"}"# + "\n")
    #expect(try f.render(format: nil, rows: rows, quiet: true) == "abc\n0123456789ab\n")
    #expect(try f.render(format: nil, rows: []) == "CONTAINER ID   NAME\n")
  }

  @Test func tabWriterMinWidth() {
    #expect(TabWriter(minWidth: 10, padding: 3).format("A\tB\tC\n") == "A         B         C\n")
  }

  @Test func sizesAndDurations() {
    #expect(Units.humanSize(4_261_550, precision: 3) == "4.26MB")
    #expect(Units.humanSize(0, precision: 3) == "0B")
    #expect(Units.humanSize(12_345, precision: 3) == "12.3kB")
    #expect(Units.humanSize(999) == "999B")
    #expect(Units.bytesSize(1_572_864) == "1.5MiB")
    #expect(Units.humanDuration(seconds: 0.5) == "Less than a second")
    #expect(Units.humanDuration(seconds: 1) == "1 second")
    #expect(Units.humanDuration(seconds: 5) == "5 seconds")
    #expect(Units.humanDuration(seconds: 61) == "About a minute")
    #expect(Units.humanDuration(seconds: 3 * 60) == "3 minutes")
    #expect(Units.humanDuration(seconds: 3600) == "About an hour")
    #expect(Units.humanDuration(seconds: 5 * 3600) == "5 hours")
    #expect(Units.humanDuration(seconds: 3 * 86400) == "3 days")
    #expect(Units.humanDuration(seconds: 30 * 86400) == "4 weeks")
    #expect(Clock.ago(1000, now: 1006) == "6 seconds ago")
    #expect(Units.parseBytes("64m") == 67_108_864)
    #expect(Units.parseBytes("1g") == 1_073_741_824)
    #expect(Units.parseBytes("512") == 512)
    #expect(Clock.parseRFC3339("1970-01-02T00:00:01.5Z") == 86401.5)
    #expect(Clock.parseRFC3339("2024-01-01T02:00:00+02:00") == 1_704_067_200)
    #expect(Clock.parseDuration("1h30m") == 5400)
  }

  @Test func truncation() {
    #expect(Shorten.id("sha256:65ad0d468eb1c558bf7f4e64e790f586") == "65ad0d468eb1")
    #expect(Shorten.ellipsis("sleep 1000000000000 && echo", 20) == "sleep 1000000000000…")
    #expect(Shorten.ellipsis("short", 20) == "short")
  }

  @Test func psRow() throws {
    let c = try JSON.parse(
      #"{"Id":"4c01db0b339c1234567890","Names":["/web"],"Image":"busybox","ImageID":"sha256:1","Command":"sleep 1000","Created":1000,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},{"PrivatePort":443,"Type":"tcp"}],"State":"running","Status":"Up 5 seconds"}"#
    )
    let row = ContainerRows.row(c, truncate: true, now: 1007)
    #expect(row["ID"]?.stringValue == "4c01db0b339c")
    #expect(row["Command"]?.stringValue == "\"sleep 1000\"")
    #expect(row["RunningFor"]?.stringValue == "7 seconds ago")
    #expect(row["Names"]?.stringValue == "web")
    #expect(row["Ports"]?.stringValue == "443/tcp, 0.0.0.0:8080->80/tcp")
  }

  @Test func jsonRoundTrip() throws {
    let text = #"{"b":1,"a":[true,null,"x\n\u00e9"],"n":12345678901234567890}"#
    let v = try JSON.parse(text)
    #expect(v.serialized() == #"{"b":1,"a":[true,null,"x\né"],"n":12345678901234567890}"#)
    #expect(JSON.array([]).pretty() == "[]")
    #expect(try JSON.parse(#"{"a":{"b":1}}"#).pretty() == "{\n    \"a\": {\n        \"b\": 1\n    }\n}")
  }
}
