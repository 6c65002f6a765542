import Testing

@testable import Dockerfile

/// One test or more per instruction of the reference.
struct InstructionTests {
  @Test func fromForms() throws {
    let df = try parse(
      "FROM --platform=$BUILDPLATFORM golang:1.22@sha256:abc AS Build\nFROM scratch\nFROM build as x")
    #expect(df.stages.map(\.name) == ["build", nil, "x"])
    #expect(df.stages[0].platform == "$BUILDPLATFORM")
    #expect(df.stages[0].baseName == "golang:1.22@sha256:abc")
    #expect(df.stages[1].from.kind == .from(FromInstruction(baseName: "scratch")))
  }

  @Test(
    "FROM argument count (BuildKit's message)",
    arguments: ["FROM", "FROM a b", "FROM a AS", "FROM a AS b c", "FROM a IS b"])
  func fromArgumentCount(line: String) {
    #expect(parseError(line)?.description == "Dockerfile:1: FROM requires either one or three arguments")
  }

  @Test func invalidStageName() {
    #expect(
      parseError("FROM a AS 1st")?.message
        == "invalid name for build stage: \"1st\", name can't start with a number or contain symbols")
  }

  @Test func runShellAndExec() throws {
    #expect(try only("RUN echo $HOME") == .run(RunInstruction(command: .shell("echo $HOME"))))
    #expect(try only("RUN [ \"echo\", \"$HOME\" ]") == .run(RunInstruction(command: .exec(["echo", "$HOME"]))))
  }

  @Test("invalid JSON falls back to the shell form (reference: unescaped backslashes)")
  func invalidJSONIsShellForm() throws {
    #expect(
      try only("RUN [\"c:\\windows\\system32\\tasklist.exe\"]")
        == .run(RunInstruction(command: .shell("[\"c:\\windows\\system32\\tasklist.exe\"]"))))
    #expect(
      try only("RUN [\"c:\\\\windows\\\\system32\\\\tasklist.exe\"]")
        == .run(RunInstruction(command: .exec(["c:\\windows\\system32\\tasklist.exe"]))))
    #expect(try only("CMD ['single', 'quotes']") == .cmd(.shell("['single', 'quotes']")))
    #expect(try only("CMD [\"a\"] trailing") == .cmd(.shell("[\"a\"] trailing")))
  }

  @Test("a JSON array with a non-string is an error, not shell form (BuildKit)")
  func nonStringJSON() {
    #expect(
      parseError("FROM scratch\nCMD [\"a\", 1]")?.message
        == "when using JSON array syntax, arrays must be comprised of strings only")
  }

  @Test func jsonEscapes() throws {
    #expect(try only(#"CMD ["a\"b", "\u00e9\ud83d\ude00", "tab\there"]"#) == .cmd(.exec(["a\"b", "é😀", "tab\there"])))
  }

  @Test func cmdAndEntrypoint() throws {
    #expect(try only("CMD [\"-c\"]") == .cmd(.exec(["-c"])))
    #expect(try only("CMD []") == .cmd(.exec([])))
    #expect(try only("ENTRYPOINT exec top -b") == .entrypoint(.shell("exec top -b")))
    #expect(try only("ENTRYPOINT [\"top\", \"-b\"]") == .entrypoint(.exec(["top", "-b"])))
  }

  @Test func copyForms() throws {
    #expect(
      try only(
        "COPY --from=build --chown=55:mygroup --chmod=644 --link --parents --exclude=*.txt --exclude=*.md a b /dst/")
        == .copy(
          CopyInstruction(
            sources: [.path("a"), .path("b")], destination: "/dst/", from: "build", chown: "55:mygroup", chmod: "644",
            link: true, parents: true, excludes: ["*.txt", "*.md"])))
    #expect(
      try only("COPY [\"a b\", \"/x y/\"]")
        == .copy(CopyInstruction(sources: [.path("a b")], destination: "/x y/", isJSONForm: true)))
    #expect(try only("COPY --link=false a b") == .copy(CopyInstruction(sources: [.path("a")], destination: "b")))
  }

  @Test("the shell form of COPY splits at blanks only: quotes stay for substitution (BuildKit)")
  func copyShellFormKeepsQuotes() throws {
    #expect(
      try only("COPY \"a b\" /x") == .copy(CopyInstruction(sources: [.path("\"a"), .path("b\"")], destination: "/x")))
  }

  @Test func copyNeedsADestination() {
    #expect(
      parseError("FROM scratch\nCOPY a")?.message
        == "COPY requires at least two arguments, but only one was provided. Destination could not be determined.")
    #expect(parseError("FROM scratch\nADD")?.message == "ADD requires at least two arguments")
  }

  @Test func addForms() throws {
    #expect(
      try only(
        "ADD --checksum=sha256:24454f830cdb571e --keep-git-dir=true --unpack=false --chmod=755 https://example.com/a.tgz /d/"
      )
        == .add(
          AddInstruction(
            sources: [.path("https://example.com/a.tgz")], destination: "/d/", chmod: "755", keepGitDir: true,
            checksum: "sha256:24454f830cdb571e", unpack: false)))
  }

  @Test func addHasNoFromFlag() {
    #expect(parseError("FROM scratch\nADD --from=x a b")?.description == "Dockerfile:2: unknown flag: --from")
  }

  @Test func workdirKeepsTheWholeLine() throws {
    #expect(try only("WORKDIR /path/$DIRNAME with space") == .workdir("/path/$DIRNAME with space"))
    #expect(parseError("FROM scratch\nWORKDIR")?.message == "WORKDIR requires exactly one argument")
  }

  @Test("ENV key=value forms keep quotes for substitution (reference examples)")
  func envPairs() throws {
    #expect(
      try only("ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy")
        == .env([
          KeyValue(key: "MY_NAME", value: "\"John Doe\""), KeyValue(key: "MY_DOG", value: "Rex\\ The\\ Dog"),
          KeyValue(key: "MY_CAT", value: "fluffy"),
        ]))
  }

  @Test("legacy ENV key value: one variable, the rest is the value (reference example)")
  func envLegacy() throws {
    #expect(try only("ENV ONE TWO= THREE=world") == .env([KeyValue(key: "ONE", value: "TWO= THREE=world")]))
    #expect(try only("ENV MY_VAR my-value") == .env([KeyValue(key: "MY_VAR", value: "my-value")]))
  }

  @Test func envErrors() {
    #expect(parseError("FROM scratch\nENV")?.message == "ENV requires at least one argument")
    #expect(parseError("FROM scratch\nENV ONLY")?.message == "ENV must have two arguments")
    #expect(parseError("FROM scratch\nENV =x")?.message == "ENV names can not be blank")
    #expect(
      parseError("FROM scratch\nENV a=b c")?.message
        == "Syntax error - can't find = in \"c\". Must be of the form: name=value")
  }

  @Test func labelForms() throws {
    #expect(
      try only("LABEL \"com.example.vendor\"=\"ACME Incorporated\" version=1.0 description=\"a \\\nb\"")
        == .label([
          KeyValue(key: "\"com.example.vendor\"", value: "\"ACME Incorporated\""),
          KeyValue(key: "version", value: "1.0"),
          KeyValue(key: "description", value: "\"a b\""),
        ]))
  }

  @Test func argForms() throws {
    #expect(
      try only("ARG user1=someuser buildno=1 plain empty= quoted=\"a b\"")
        == .arg([
          ArgDefinition(name: "user1", defaultValue: "someuser"), ArgDefinition(name: "buildno", defaultValue: "1"),
          ArgDefinition(name: "plain"), ArgDefinition(name: "empty", defaultValue: ""),
          ArgDefinition(name: "quoted", defaultValue: "\"a b\""),
        ]))
    #expect(parseError("FROM scratch\nARG")?.message == "ARG requires at least one argument")
    #expect(parseError("FROM scratch\nARG =1")?.message == "ARG names can not be blank")
  }

  @Test func metaArgsBeforeFrom() throws {
    let df = try parse("ARG  CODE_VERSION=latest\nARG B\nFROM base:${CODE_VERSION}\nARG B")
    #expect(
      df.metaArgDefinitions == [ArgDefinition(name: "CODE_VERSION", defaultValue: "latest"), ArgDefinition(name: "B")])
    #expect(df.metaArgs.map(\.location.startLine) == [1, 2])
    #expect(df.stages[0].instructions.map(\.kind) == [.arg([ArgDefinition(name: "B")])])
  }

  @Test func exposeUserVolumeStopsignal() throws {
    #expect(try only("EXPOSE 80/tcp 80/udp $PORT") == .expose(["80/tcp", "80/udp", "$PORT"]))
    #expect(try only("USER patrick:staff") == .user("patrick:staff"))
    #expect(try only("VOLUME [\"/var/www\", \"/var/log/apache2\"]") == .volume(["/var/www", "/var/log/apache2"]))
    #expect(try only("VOLUME /var/log /var/db") == .volume(["/var/log", "/var/db"]))
    #expect(try only("STOPSIGNAL SIGKILL") == .stopSignal("SIGKILL"))
    #expect(parseError("FROM scratch\nVOLUME [\"\"]")?.message == "VOLUME specified can not be an empty string")
    #expect(parseError("FROM scratch\nEXPOSE")?.message == "EXPOSE requires at least one argument")
  }

  @Test func shellMustBeJSON() throws {
    #expect(try only("SHELL [\"powershell\", \"-command\"]") == .shell(["powershell", "-command"]))
    #expect(
      parseError("FROM scratch\nSHELL powershell -command")?.description
        == "Dockerfile:2: SHELL requires the arguments to be in JSON form")
    #expect(
      parseError("FROM scratch\nSHELL [\"sh\", \"-c\"")?.message == "SHELL requires the arguments to be in JSON form")
    #expect(parseError("FROM scratch\nSHELL []")?.message == "SHELL requires at least one argument")
  }

  @Test func healthcheck() throws {
    #expect(try only("HEALTHCHECK NONE") == .healthcheck(.none))
    #expect(Healthcheck.none.test == ["NONE"])
    let kind = try only(
      "HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=4 \\\n  CMD curl -f http://localhost/ || exit 1"
    )
    let expected = HealthcheckCommand(
      command: .shell("curl -f http://localhost/ || exit 1"), interval: 300_000_000_000, timeout: 3_000_000_000,
      startPeriod: 90_000_000_000, startInterval: 500_000_000, retries: 4)
    #expect(kind == .healthcheck(.check(expected)))
    #expect(Healthcheck.check(expected).test == ["CMD-SHELL", "curl -f http://localhost/ || exit 1"])
    guard case .healthcheck(let exec) = try only("HEALTHCHECK cmd [\"/bin/check\", \"-q\"]") else { throw Failure() }
    #expect(exec.test == ["CMD", "/bin/check", "-q"])
  }

  @Test func healthcheckErrors() {
    #expect(parseError("FROM scratch\nHEALTHCHECK NONE x")?.message == "HEALTHCHECK NONE takes no arguments")
    #expect(parseError("FROM scratch\nHEALTHCHECK CMD")?.message == "Missing command after HEALTHCHECK CMD")
    #expect(parseError("FROM scratch\nHEALTHCHECK RUN x")?.message == "Unknown type \"RUN\" in HEALTHCHECK (try CMD)")
    #expect(parseError("FROM scratch\nHEALTHCHECK --interval=5 CMD x")?.message == "time: invalid duration \"5\"")
    #expect(
      parseError("FROM scratch\nHEALTHCHECK --timeout=10us CMD x")?.message
        == "Interval \"timeout\" cannot be less than 1ms")
    #expect(parseError("FROM scratch\nHEALTHCHECK --retries=-1 CMD x")?.message == "--retries cannot be negative (-1)")
    #expect(parseError("FROM scratch\nHEALTHCHECK --foo=1 CMD x")?.message == "unknown flag: --foo")
  }

  @Test func onbuild() throws {
    #expect(
      try only("ONBUILD ADD . /app/src")
        == .onbuild(
          OnbuildInstruction(
            trigger: Instruction(
              kind: .add(AddInstruction(sources: [.path(".")], destination: "/app/src")),
              location: SourceSpan(
                startLine: 2, endLine: 2, original: "ADD . /app/src", source: "ONBUILD ADD . /app/src")),
            expression: "ADD . /app/src")))
  }

  @Test("ONBUILD limitations (reference)")
  func onbuildLimitations() {
    #expect(
      parseError("FROM scratch\nONBUILD ONBUILD RUN x")?.message
        == "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
    #expect(parseError("FROM scratch\nonbuild from x")?.message == "FROM isn't allowed as an ONBUILD trigger")
    #expect(
      parseError("FROM scratch\nONBUILD MAINTAINER me")?.message == "MAINTAINER isn't allowed as an ONBUILD trigger")
    #expect(parseError("FROM scratch\nONBUILD RUNN x")?.message == "unknown instruction: RUNN")
    #expect(parseError("FROM scratch\nONBUILD")?.message == "ONBUILD requires at least one argument")
  }

  @Test func maintainerIsParsedWithAWarning() throws {
    let df = try parse("FROM scratch\nMAINTAINER SvenDowideit@home.org.au")
    #expect(df.stages[0].instructions[0].kind == .maintainer("SvenDowideit@home.org.au"))
    #expect(df.warnings.first?.line == 2)
  }
}

/// ONBUILD triggers read back from a base image's config.
struct OnbuildTriggerTests {
  @Test func roundTripsTheStoredExpression() throws {
    let df = try parse("FROM alpine\nONBUILD RUN <<EOF\necho hi\nEOF\nONBUILD COPY --from=build /a /b")
    for instruction in df.stages[0].instructions {
      guard case .onbuild(let trigger) = instruction.kind else { throw Failure() }
      let parsed = try Dockerfile.parseTrigger(trigger.expression, line: 1)
      #expect(parsed.kind == trigger.trigger.kind)
      #expect(parsed.location.startLine == 1)
    }
  }

  @Test func refusesWhatOnbuildRefuses() {
    #expect(throws: DockerfileError.self) { try Dockerfile.parseTrigger("FROM x", line: 3) }
    #expect(throws: DockerfileError.self) { try Dockerfile.parseTrigger("ONBUILD RUN x", line: 3) }
    #expect(throws: DockerfileError.self) { try Dockerfile.parseTrigger("RUN a\nRUN b", line: 3) }
    do {
      _ = try Dockerfile.parseTrigger("RUNN x", line: 3)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == "Dockerfile:3: ONBUILD trigger \"RUNN x\": unknown instruction: RUNN")
    }
  }

  @Test func backtickEscape() throws {
    let parsed = try Dockerfile.parseTrigger("RUN dir c:\\ `\n  /b", line: 1, escape: "`")
    #expect(parsed.kind == .run(RunInstruction(command: .shell("dir c:\\   /b"))))
  }
}
