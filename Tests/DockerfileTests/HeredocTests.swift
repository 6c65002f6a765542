import Testing

@testable import Dockerfile

/// Here-documents, per the reference's "Here-Documents" section (BuildKit-only syntax:
/// dockerd 20.10's builders cannot build these, so the reference is the oracle).
struct HeredocTests {
  @Test("RUN <<EOT bash: the body is part of the instruction (reference example)")
  func runWithInterpreter() throws {
    let df = try parse("FROM debian\nRUN <<EOT bash\n  set -ex\n  apt-get update\nEOT\nUSER x")
    let run = df.stages[0].instructions[0]
    #expect(
      run.kind
        == .run(
          RunInstruction(
            command: .shell("<<EOT bash"),
            heredocs: [Heredoc(name: "EOT", content: "  set -ex\n  apt-get update\n")])))
    #expect(run.location.startLine == 2)
    #expect(run.location.endLine == 5)
    #expect(run.location.original == "RUN <<EOT bash")
    #expect(df.stages[0].instructions[1].kind == .user("x"))
  }

  @Test("two heredocs on one line, bodies in order (reference example)")
  func twoHeredocs() throws {
    let kind = try only("RUN <<FILE1 cat > file1 && <<FILE2 cat > file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2")
    guard case .run(let run) = kind else { throw Failure() }
    #expect(run.heredocs.map(\.name) == ["FILE1", "FILE2"])
    #expect(run.heredocs.map(\.content) == ["I am\nfirst\n", "I am\nsecond\n"])
  }

  @Test("COPY <<EOF greeting.txt creates a file source (reference example)")
  func copyHeredoc() throws {
    #expect(
      try only("COPY <<EOF greeting.txt\nhello world\nEOF")
        == .copy(
          CopyInstruction(
            sources: [.heredoc(Heredoc(name: "EOF", content: "hello world\n"))], destination: "greeting.txt")))
  }

  @Test("<<- strips leading tabs from the body and the delimiter line")
  func chompStripsTabs() throws {
    guard case .copy(let copy) = try only("COPY <<-EOT /script.sh\n\t\techo \"hello ${FOO}\"\n\tEOT") else {
      throw Failure()
    }
    #expect(copy.sources == [.heredoc(Heredoc(name: "EOT", content: "echo \"hello ${FOO}\"\n", chomp: true))])
  }

  @Test("spaces are not stripped by <<- (only tabs, POSIX)")
  func chompKeepsSpaces() throws {
    guard case .copy(let copy) = try only("COPY <<-EOT /s\n  x\nEOT") else { throw Failure() }
    #expect(copy.sources == [.heredoc(Heredoc(name: "EOT", content: "  x\n", chomp: true))])
  }

  @Test("a quoted delimiter disables expansion (reference example)", arguments: ["\"EOT\"", "'EOT'", "E\"O\"T"])
  func quotedDelimiter(delimiter: String) throws {
    guard case .copy(let copy) = try only("COPY <<-\(delimiter) /script.sh\n  echo \"hello ${FOO}\"\nEOT") else {
      throw Failure()
    }
    #expect(
      copy.sources == [.heredoc(Heredoc(name: "EOT", content: "  echo \"hello ${FOO}\"\n", expand: false, chomp: true))]
    )
  }

  @Test func fileDescriptorPrefix() throws {
    guard case .run(let run) = try only("RUN cat 3<<EOF\nx\nEOF") else { throw Failure() }
    #expect(run.heredocs == [Heredoc(name: "EOF", content: "x\n", fileDescriptor: 3)])
  }

  @Test func emptyBody() throws {
    guard case .run(let run) = try only("RUN <<EOF\nEOF") else { throw Failure() }
    #expect(run.heredocs == [Heredoc(name: "EOF", content: "")])
  }

  @Test func bodyLinesAreNotCommentsOrContinuations() throws {
    guard case .run(let run) = try only("RUN <<EOF\n# not a comment\nline \\\n\nEOF") else { throw Failure() }
    #expect(run.heredocs.first?.content == "# not a comment\nline \\\n\n")
  }

  @Test("the exec form never reads heredocs")
  func execFormHasNoHeredoc() throws {
    #expect(
      try kinds("RUN [\"cat\", \"<<EOF\"]\nUSER x") == [
        .run(RunInstruction(command: .exec(["cat", "<<EOF"]))), .user("x"),
      ])
  }

  @Test("only RUN, COPY and ADD take heredocs")
  func otherInstructionsIgnoreHeredocMarkers() throws {
    #expect(try kinds("CMD cat <<EOF\nUSER x") == [.cmd(.shell("cat <<EOF")), .user("x")])
  }

  @Test("a marker glued to a word is not a heredoc (a shell word must start with <<)")
  func gluedMarker() throws {
    #expect(try kinds("RUN cat<<EOF\nUSER x") == [.run(RunInstruction(command: .shell("cat<<EOF"))), .user("x")])
  }

  @Test func onbuildRunHeredoc() throws {
    guard case .onbuild(let onbuild) = try only("ONBUILD RUN <<EOF\necho hi\nEOF") else { throw Failure() }
    #expect(onbuild.expression == "RUN <<EOF\necho hi\nEOF")
    #expect(
      onbuild.trigger.kind
        == .run(RunInstruction(command: .shell("<<EOF"), heredocs: [Heredoc(name: "EOF", content: "echo hi\n")])))
  }

  @Test func unterminatedHeredoc() {
    let error = parseError("FROM scratch\nRUN <<EOF\necho hi\n")
    #expect(error?.line == 2)
    #expect(error?.endLine == 3)
    #expect(error?.message == "unterminated heredoc EOF")
  }

  @Test func heredocAsCopyDestinationIsAnError() {
    #expect(
      parseError("FROM scratch\nCOPY a <<EOF\nx\nEOF")?.message == "COPY cannot accept a heredoc as a destination")
  }

  @Test func contentAfterDelimiterIsTheNextInstruction() throws {
    let df = try parse("FROM scratch\nCOPY <<A <<B /dir/\n1\nA\n2\nB\nUSER me")
    let i = df.stages[0].instructions
    #expect(i.count == 2)
    #expect(i[0].location.endLine == 6)
    guard case .copy(let copy) = i[0].kind else { throw Failure() }
    #expect(
      copy.sources == [.heredoc(Heredoc(name: "A", content: "1\n")), .heredoc(Heredoc(name: "B", content: "2\n"))])
    #expect(copy.destination == "/dir/")
  }
}

struct Failure: Error {}
