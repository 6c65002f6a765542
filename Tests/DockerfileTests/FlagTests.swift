import Testing

@testable import Dockerfile

/// `--flags` as BuildKit's BFlags reads them, validated per instruction.
struct FlagTests {
  @Test(
    "an unknown flag is named in the error",
    arguments: [
      ("RUN --foo=1 x", "foo"), ("COPY --checksum=x a b", "checksum"), ("FROM --pull img", "pull"),
      ("WORKDIR --x /a", "x"), ("ENV --a=b c=d", "a"), ("CMD --help", "help"), ("ADD --parents a b", "parents"),
    ])
  func unknownFlag(line: String, flag: String) {
    let text = line.hasPrefix("FROM") ? line : "FROM scratch\n" + line
    let error = parseError(text)
    #expect(error?.message == "unknown flag: --\(flag)")
    #expect(error?.line == (line.hasPrefix("FROM") ? 1 : 2))
  }

  @Test func missingValue() {
    #expect(parseError("FROM scratch\nCOPY --from a b")?.message == "missing a value on flag: from")
    #expect(parseError("FROM scratch\nCOPY --link= a b")?.message == "missing a value on flag: link")
  }

  @Test func badBoolean() {
    #expect(
      parseError("FROM scratch\nCOPY --link=yes a b")?.message == "expecting boolean value for flag link, not: yes")
  }

  @Test func duplicateSingleFlag() {
    #expect(parseError("FROM scratch\nCOPY --from=a --from=b a b")?.message == "duplicate flag specified: from")
  }

  @Test func quotedFlagValues() throws {
    #expect(
      try only("COPY --chown=\"my user\":'grp' a b")
        == .copy(CopyInstruction(sources: [.path("a")], destination: "b", chown: "my user:grp")))
  }

  @Test("a bare -- ends the flags")
  func doubleDashEndsFlags() throws {
    #expect(try only("RUN -- --not-a-flag") == .run(RunInstruction(command: .shell("--not-a-flag"))))
  }

  @Test("flags must come first: later --words are arguments")
  func flagsOnlyAtTheStart() throws {
    #expect(try only("RUN echo --mount=x") == .run(RunInstruction(command: .shell("echo --mount=x"))))
  }

  @Test func runNetworkAndSecurity() throws {
    #expect(
      try only("RUN --network=none --security=insecure pip install x")
        == .run(RunInstruction(command: .shell("pip install x"), network: NetworkMode.none, security: .insecure)))
    #expect(parseError("FROM scratch\nRUN --network=bridge x")?.message == "unsupported network mode \"bridge\"")
    #expect(parseError("FROM scratch\nRUN --security=root x")?.message == "unsupported security mode \"root\"")
  }

  @Test func fromPlatformAndAddFlags() throws {
    #expect(try parse("FROM --platform=linux/arm64 alpine").stages[0].platform == "linux/arm64")
    #expect(
      try only("ADD --keep-git-dir git@github.com:moby/buildkit.git#v0.14.1:docs /buildkit-docs")
        == .add(
          AddInstruction(
            sources: [.path("git@github.com:moby/buildkit.git#v0.14.1:docs")], destination: "/buildkit-docs",
            keepGitDir: true)))
  }
}

/// `RUN --mount`, per the reference's mount-type tables.
struct RunMountTests {
  func mount(_ spec: String) throws -> RunMount {
    guard case .run(let run) = try only("RUN --mount=\(spec) true"), let m = run.mounts.first?.parsed else {
      throw Failure()
    }
    return m
  }

  func mountError(_ spec: String) -> String? {
    parseError("FROM scratch\nRUN --mount=\(spec) true")?.message
  }

  @Test func bindIsTheDefaultAndReadOnly() throws {
    #expect(try mount("target=.") == RunMount(type: .bind, target: ".", readOnly: true))
    #expect(
      try mount("type=bind,from=build,source=/out,dst=/in,rw")
        == RunMount(type: .bind, target: "/in", source: "/out", from: "build", readOnly: false))
    #expect(try mount("src=a,destination=/b,readwrite=true").readOnly == false)
  }

  @Test func cache() throws {
    #expect(
      try mount("type=cache,target=/var/cache/apt,sharing=locked,id=apt,mode=0700,uid=1000,gid=1000")
        == RunMount(
          type: .cache, target: "/var/cache/apt", readOnly: false, id: "apt", sharing: .locked, mode: 0o700, uid: 1000,
          gid: 1000))
    #expect(try mount("type=cache,target=/c,ro").readOnly)
    #expect(try mount("type=CACHE,target=/c,from=base,source=/s").from == "base")
  }

  @Test func tmpfsSize() throws {
    #expect(try mount("type=tmpfs,target=/t,size=64m") == RunMount(type: .tmpfs, target: "/t", size: 64 << 20))
    #expect(mountError("type=tmpfs,target=/t,size=lots") == "invalid value for size: lots")
  }

  @Test func secret() throws {
    let m = try mount("type=secret,id=aws,target=/root/.aws/credentials,required,mode=0440")
    #expect(m == RunMount(type: .secret, target: "/root/.aws/credentials", id: "aws", mode: 0o440, required: true))
    #expect(m.effectiveTarget() == "/root/.aws/credentials")
    let env = try mount("type=secret,id=API_KEY,env=API_KEY")
    #expect(env.env == "API_KEY")
    #expect(env.effectiveTarget() == nil)
    let byTarget = try mount("type=secret,target=/run/token")
    #expect(byTarget.secretID == "token")
    #expect(try mount("type=secret,id=x").effectiveTarget() == "/run/secrets/x")
  }

  @Test func ssh() throws {
    let m = try mount("type=ssh")
    #expect(m == RunMount(type: .ssh, readOnly: true))
    #expect(m.effectiveTarget(sshIndex: 1) == "/run/buildkit/ssh_agent.1")
  }

  @Test("BuildKit's mount validation messages")
  func errors() {
    #expect(mountError("type=nfs,target=/x") == "unsupported mount type \"nfs\"")
    #expect(mountError("type=bind,target=/x,sharing=locked") == "invalid cache sharing set for bind mount")
    #expect(mountError("type=secret,id=a,sharing=locked") == "secret mount should not define sharing")
    #expect(mountError("type=cache,target=/x,sharing=maybe") == "unsupported sharing value \"maybe\"")
    #expect(mountError("type=bind,target=/x,mode=0755") == "mode not allowed for \"bind\" type mounts")
    #expect(mountError("type=cache,target=/x,uid=me") == "invalid value me for uid")
    #expect(mountError("type=cache,target=/x,mode=9") == "invalid value 9 for mode")
    #expect(mountError("type=bind,target=/x,required") == "unexpected key 'required' for mount type 'bind'")
    #expect(mountError("type=secret,id=a,from=b") == "secret mount should not have a from")
    #expect(mountError("type=secret") == "invalid secret mount. one of source, target required")
    #expect(mountError("type=secret,id=a,source=b") == "both source and id can't be set")
    #expect(mountError("target=/x,color=red") == "unexpected key 'color' in 'color=red'")
    #expect(mountError("target=/x,bogus") == "invalid field 'bogus' must be a key=value pair")
    #expect(mountError("type=cache") == "mount type cache requires a target (target=, dst= or destination=)")
    #expect(mountError("'\"target=/x'") == "failed to parse csv mounts: extraneous or missing \" in quoted-field")
    #expect(mountError("'target=/x\"y'") == "failed to parse csv mounts: bare \" in non-quoted-field")
  }

  @Test("flag quotes go first (BuildKit), so CSV quotes must be protected by single quotes")
  func csvQuoting() throws {
    #expect(try mount("'\"target=/a,b\",type=cache'").target == "/a,b")
    #expect(mountError("\"target=/x") == "RUN requires at least one argument")
  }

  @Test func severalMountsInOrder() throws {
    guard
      case .run(let run) = try only(
        "RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n  --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n  apt-get update"
      )
    else { throw Failure() }
    #expect(run.mounts.compactMap(\.parsed?.target) == ["/var/cache/apt", "/var/lib/apt"])
    #expect(run.command == .shell("apt-get update"))
  }

  @Test("mounts with variables are resolved by the builder with the stage's env")
  func deferredMount() throws {
    guard case .run(let run) = try only("RUN --mount=type=cache,target=$DIR,id=${ID:-dflt} true") else {
      throw Failure()
    }
    let spec = try #require(run.mounts.first)
    #expect(spec.parsed == nil)
    #expect(spec.raw == "type=cache,target=$DIR,id=${ID:-dflt}")
    let m = try spec.resolved(env: ["DIR": "/root/.cache"])
    #expect(m == RunMount(type: .cache, target: "/root/.cache", id: "dflt"))
    #expect(throws: SubstitutionError.self) { try spec.resolved(env: [:]) }
  }

  @Test("from= cannot use variables (BuildKit)")
  func fromWithVariable() {
    #expect(
      mountError("from=$STAGE,target=/x") == "'from' doesn't support variable expansion, define alias stage instead")
  }
}
