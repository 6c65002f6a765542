import Testing

@testable import Dockerfile

/// `Instruction.expanded`: substitution applied where the reference's list says.
struct ExpansionTests {
  func expand(_ line: String, _ env: [String: String]) throws -> InstructionKind {
    let df = try parse("FROM scratch\n" + line)
    return try df.stages[0].instructions[0].expanded(env: env, escape: df.escape).kind
  }

  @Test("the reference's example: WORKDIR ${FOO}, ADD . $FOO, COPY \\$FOO /quux")
  func referenceExample() throws {
    let env = ["FOO": "/bar"]
    #expect(try expand("WORKDIR ${FOO}", env) == .workdir("/bar"))
    #expect(try expand("ADD . $FOO", env) == .add(AddInstruction(sources: [.path(".")], destination: "/bar")))
    #expect(
      try expand("COPY \\$FOO /quux", env) == .copy(CopyInstruction(sources: [.path("$FOO")], destination: "/quux")))
  }

  @Test func copyFlagsAndHeredocs() throws {
    let env = ["U": "1000", "MODE": "440", "FOO": "bar", "X": "*.md"]
    let kind = try expand(
      "COPY --chown=$U:$U --chmod=$MODE --exclude=$X --from=$STAGE <<EOF <<'RAW' /d/\n$FOO \"q\"\nEOF\n$FOO\nRAW", env)
    #expect(
      kind
        == .copy(
          CopyInstruction(
            sources: [
              .heredoc(Heredoc(name: "EOF", content: "bar \"q\"\n")),
              .heredoc(Heredoc(name: "RAW", content: "$FOO\n", expand: false)),
            ], destination: "/d/", from: "$STAGE", chown: "1000:1000", chmod: "440", excludes: ["*.md"])))
  }

  @Test("ENV: quotes and escapes removed, every pair sees the values from before")
  func env() throws {
    #expect(
      try expand("ENV abc=bye def=$abc MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog", ["abc": "hello"])
        == .env([
          KeyValue(key: "abc", value: "bye"), KeyValue(key: "def", value: "hello"),
          KeyValue(key: "MY_NAME", value: "John Doe"),
          KeyValue(key: "MY_DOG", value: "Rex The Dog"),
        ]))
  }

  @Test("single quotes keep a LABEL value literal (reference note)")
  func labelQuotes() throws {
    #expect(
      try expand("LABEL a=\"foo-$V\" b='foo-$V'", ["V": "1"])
        == .label([KeyValue(key: "a", value: "foo-1"), KeyValue(key: "b", value: "foo-$V")]))
  }

  @Test func argExposeUserVolumeStopsignal() throws {
    #expect(
      try expand("ARG A=${B:-x} C", [:])
        == .arg([ArgDefinition(name: "A", defaultValue: "x"), ArgDefinition(name: "C")]))
    #expect(try expand("EXPOSE $PORTS 53/udp", ["PORTS": "80 443"]) == .expose(["80", "443", "53/udp"]))
    #expect(try expand("USER ${username:-some_user}", [:]) == .user("some_user"))
    #expect(try expand("VOLUME [\"$D/a\", \"b\"]", ["D": "/data"]) == .volume(["/data/a", "b"]))
    #expect(try expand("STOPSIGNAL $SIG", ["SIG": "SIGINT"]) == .stopSignal("SIGINT"))
    #expect(throws: DockerfileError.self) { try expand("VOLUME $EMPTY", [:]) }
  }

  @Test("RUN, CMD, ENTRYPOINT are left to the shell")
  func shellInstructionsUnchanged() throws {
    #expect(try expand("RUN echo $HOME", ["HOME": "/x"]) == .run(RunInstruction(command: .shell("echo $HOME"))))
    #expect(try expand("CMD [\"echo\", \"$HOME\"]", ["HOME": "/x"]) == .cmd(.exec(["echo", "$HOME"])))
  }

  @Test func errorsNameTheLine() {
    #expect(
      throws: DockerfileError(line: 2, message: "failed to process \"${NEED:?}\": NEED: is not allowed to be unset")
    ) {
      try expand("WORKDIR ${NEED:?}", [:])
    }
  }
}
