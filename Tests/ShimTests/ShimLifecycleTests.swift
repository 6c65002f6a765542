import Foundation
import LinuxOS
import Shim
import Testing

/// berth-shim with the real berth-runtime and busybox containers: logs, attach, stdin,
/// terminals, exec, live restore, rotation. Needs root and /bin/busybox.
@Suite(.serialized, .enabled(if: ShimFixtures.canRunContainers, "needs root and /bin/busybox"))
struct ShimLifecycleTests {
  @Test func logsBothStreamsAndRecordsTheExitCode() throws {
    let box = try ShimSandbox("log")
    defer { box.cleanup() }
    try box.writeSpec(["sh", "-c", "echo hello; echo err >&2; exit 3"])
    let shim = try box.launch(box.config())
    #expect(try box.client.state().status == .created)
    try box.client.start()
    let exit = try box.client.wait()
    #expect(exit.exitCode == 3)
    #expect(exit.pid == shim.initPid)

    let entries = try box.logEntries()
    #expect(entries.count == 2)
    #expect(entries.contains { $0.log == "hello\n" && $0.stream == "stdout" })
    #expect(entries.contains { $0.log == "err\n" && $0.stream == "stderr" })
    for entry in entries {
      #expect(entry.time.count == 30 && entry.time.hasSuffix("Z"), "time \(entry.time)")
    }
    let recorded = try JSONDecoder().decode(
      ShimExitStatus.self, from: Data(contentsOf: URL(fileURLWithPath: box.stateDir + "/exit.json")))
    #expect(recorded.exitCode == 3)
    #expect(!recorded.oomKilled)
    // The shim leaves once the exit is recorded; the status is still there. It was the
    // launcher's child, and is reaped, not left a zombie.
    #expect(ShimFixtures.eventually { !ShimFixtures.isRunning(shim.pid) })
    #expect(ShimFixtures.eventually { !FileManager.default.fileExists(atPath: "/proc/\(shim.pid)") })
    #expect(!FileManager.default.fileExists(atPath: box.stateDir + "/shim.sock"))
    #expect(try box.client.wait().exitCode == 3)
  }

  @Test func attachBeforeStartSeesAllOutputFramed() throws {
    let box = try ShimSandbox("attach")
    defer { box.cleanup() }
    try box.writeSpec(["sh", "-c", "echo hello; echo oops >&2"])
    _ = try box.launch(box.config())
    let stream = try box.client.attach(stdin: false)
    stream.setReadTimeout()
    #expect(!stream.terminal)
    try box.client.start()
    let output = try stream.collect()
    #expect(output.stdout == "hello\n")
    #expect(output.stderr == "oops\n")
    #expect(try box.client.wait().exitCode == 0)
  }

  @Test func stdinReachesTheContainerAndCloseStdinEndsIt() throws {
    let box = try ShimSandbox("stdin")
    defer { box.cleanup() }
    try box.writeSpec(["cat"])
    _ = try box.launch(box.config(openStdin: true))
    let stream = try box.client.attach(stdin: true)
    stream.setReadTimeout()
    try box.client.start()
    try stream.write(Array("ping\n".utf8))
    #expect(try stream.readUntil("ping\n") == "ping\n")
    try stream.write(Array("pong\n".utf8))
    #expect(try stream.readUntil("pong\n") == "pong\n")
    try box.client.closeStdin()
    #expect(try box.client.wait().exitCode == 0)
    #expect(try stream.read() == nil)
    #expect(try box.logEntries().map(\.log) == ["ping\n", "pong\n"])
  }

  @Test func stdinOnceClosesStdinWhenTheClientEndsIt() throws {
    let box = try ShimSandbox("once")
    defer { box.cleanup() }
    try box.writeSpec(["sh", "-c", "cat; echo done"])
    _ = try box.launch(box.config(openStdin: true, stdinOnce: true))
    let stream = try box.client.attach(stdin: true)
    stream.setReadTimeout()
    try box.client.start()
    try stream.write(Array("abc\n".utf8))
    stream.closeWrite()
    #expect(try stream.collect().stdout == "abc\ndone\n")
    #expect(try box.client.wait().exitCode == 0)
  }

  @Test func terminalGetsAPtyAndResizeChangesItsSize() throws {
    let box = try ShimSandbox("tty")
    defer { box.cleanup() }
    try box.writeSpec(["sh", "-c", "tty; sleep 1; stty size"], terminal: true)
    _ = try box.launch(box.config(terminal: true, openStdin: true))
    let stream = try box.client.attach(stdin: true)
    stream.setReadTimeout()
    #expect(stream.terminal)
    try box.client.start()
    try box.client.resize(rows: 40, cols: 100)
    let output = try stream.collect().stdout
    #expect(output.contains("/dev/pts/0"), "\(output)")
    #expect(output.contains("40 100"), "\(output)")
    #expect(try box.client.wait().exitCode == 0)
    #expect(try box.logEntries().contains { $0.log.contains("/dev/pts/0") })
  }

  @Test func shimOutlivesTheProcessThatLaunchedIt() throws {
    let box = try ShimSandbox("live")
    defer { box.cleanup() }
    try box.writeSpec(["sh", "-c", "read x; echo got $x; exit 7"])
    var config = box.config(openStdin: true)
    config.stdinOnce = true
    try FileManager.default.createDirectory(atPath: box.stateDir, withIntermediateDirectories: true)
    try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: box.stateDir + "/shim.json"))

    // A separate launcher process plays berthd; SIGKILL it once the shim is up.
    let launcher = Process()
    launcher.executableURL = URL(fileURLWithPath: ShimFixtures.shimBinary)
    launcher.arguments = ["launch", "--state-dir", box.stateDir, "--hold"]
    let out = Pipe()
    launcher.standardOutput = out
    launcher.standardInput = FileHandle.nullDevice
    try launcher.run()
    var line = Data()
    while !line.contains(0x0a) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    let report = try JSONDecoder().decode(ShimLaunchReport.self, from: line)
    let shimPID = try #require(report.shimPid)
    box.shimPIDs.append(shimPID)
    kill(launcher.processIdentifier, SIGKILL)
    launcher.waitUntilExit()

    #expect(ShimFixtures.isRunning(shimPID))
    let stat = try String(contentsOfFile: "/proc/\(shimPID)/stat", encoding: .utf8)
    let ppid = stat.split(separator: ")").last?.split(separator: " ").dropFirst().first.flatMap { Int32($0) }
    #expect(ppid != launcher.processIdentifier)
    #expect(try box.client.state().pid == report.initPid)
    let stream = try box.client.attach(stdin: true)
    stream.setReadTimeout()
    try box.client.start()
    try stream.write(Array("restored\n".utf8))
    #expect(try stream.collect().stdout == "got restored\n")
    #expect(try box.client.wait().exitCode == 7)
  }

  @Test func logRotatesAtMaxSizeKeepingMaxFiles() throws {
    let box = try ShimSandbox("rotate")
    defer { box.cleanup() }
    try box.writeSpec([
      "sh", "-c", "i=0; while [ $i -lt 60 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done",
    ])
    _ = try box.launch(box.config(maxSize: 1024, maxFiles: 3))
    try box.client.start()
    #expect(try box.client.wait().exitCode == 0)
    let fm = FileManager.default
    #expect(fm.fileExists(atPath: box.logPath + ".1"))
    #expect(fm.fileExists(atPath: box.logPath + ".2"))
    #expect(!fm.fileExists(atPath: box.logPath + ".3"))
    var all: [String] = []
    for path in [box.logPath + ".2", box.logPath + ".1", box.logPath] {
      let size = (try fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      #expect(size < 1024 + 200, "\(path) is \(size) bytes")
      all += try box.logEntries(path).map(\.log)
    }
    #expect(all.count < 60)
    #expect(all.last == "line-59-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n")
    let numbers = all.compactMap { Int($0.split(separator: "-")[1]) }
    #expect(numbers == Array((60 - numbers.count)..<60), "the kept lines are the newest, in order")
  }

  @Test func execRunsInTheContainerAndReportsItsExit() throws {
    let box = try ShimSandbox("exec")
    defer { box.cleanup() }
    try box.writeSpec(["sleep", "100"])
    let shim = try box.launch(box.config())
    try box.client.start()
    let process = try box.writeExecProcess(["sh", "-c", "echo exec-out; echo exec-err >&2; exit 4"])
    let stream = try box.client.exec(execID: "e1", processPath: process, terminal: false, stdin: false)
    stream.setReadTimeout()
    #expect(stream.pid > 0)
    let output = try stream.collect()
    #expect(output.stdout == "exec-out\n")
    #expect(output.stderr == "exec-err\n")
    #expect(try box.client.wait(execID: "e1").exitCode == 4)

    let ttyProcess = try box.writeExecProcess(["tty"], terminal: true)
    let tty = try box.client.exec(execID: "e2", processPath: ttyProcess, terminal: true, stdin: false)
    tty.setReadTimeout()
    #expect(tty.terminal)
    #expect(try tty.collect().stdout.contains("/dev/pts/"))
    #expect(try box.client.wait(execID: "e2").exitCode == 0)
    // Exec output is not the container's log.
    #expect(((try? box.logEntries()) ?? []).isEmpty)

    let killed = try ShimFixtures.run(
      ShimFixtures.runtimeBinary, ["--root", box.runtimeRoot, "kill", box.id, "KILL"])
    #expect(killed.status == 0)
    #expect(try box.client.wait().exitCode == 137)
    #expect(ShimFixtures.eventually { !ShimFixtures.isRunning(shim.pid) })
  }

  @Test func createErrorIsReportedAndNoShimStays() throws {
    let box = try ShimSandbox("fail")
    defer { box.cleanup() }
    try box.writeSpec(["true"])
    try FileManager.default.removeItem(atPath: box.rootfs)
    #expect {
      _ = try box.launch(box.config())
    } throws: { error in
      "\(error)".contains("rootfs")
    }
    #expect(!FileManager.default.fileExists(atPath: box.stateDir + "/shim.pid"))
    #expect(!FileManager.default.fileExists(atPath: box.stateDir + "/shim.sock"))
  }

  @Test func createdContainerDeletedBeforeStartLetsTheShimExit() throws {
    let box = try ShimSandbox("del")
    defer { box.cleanup() }
    try box.writeSpec(["true"])
    let shim = try box.launch(box.config())
    let deleted = try ShimFixtures.run(
      ShimFixtures.runtimeBinary, ["--root", box.runtimeRoot, "delete", "--force", box.id])
    #expect(deleted.status == 0)
    #expect(ShimFixtures.eventually { !ShimFixtures.isRunning(shim.pid) })
    #expect(try box.client.wait().exitCode == 137)
  }

  /// With `execFifo` the shim starts the container by opening the runtime's fifo itself:
  /// the runtime runs for create only, and the container runs and exits as before.
  @Test func startThroughTheExecFifoRunsNoRuntimeStart() throws {
    let box = try ShimSandbox("fifo")
    defer { box.cleanup() }
    try box.writeSpec(["sh", "-c", "echo via-fifo; exit 4"])
    let verbs = box.directory + "/runtime-verbs"
    let wrapper = box.directory + "/runtime-wrapper"
    try "#!/bin/sh\necho \"$*\" >> \(verbs)\nexec \(ShimFixtures.runtimeBinary) \"$@\"\n".write(
      toFile: wrapper, atomically: true, encoding: .utf8)
    chmod(wrapper, 0o755)
    var config = box.config()
    config.runtime = wrapper
    config.execFifo = ExecFifo.path(runtimeRoot: box.runtimeRoot, id: box.id)
    let shim = try box.launch(config)
    #expect(FileManager.default.fileExists(atPath: config.execFifo ?? ""))
    try box.client.start()
    #expect(!FileManager.default.fileExists(atPath: config.execFifo ?? ""))
    #expect(try box.client.wait().exitCode == 4)
    #expect(try box.logEntries().map(\.log) == ["via-fifo\n"])
    #expect(ShimFixtures.eventually { !ShimFixtures.isRunning(shim.pid) })
    let invoked = try String(contentsOfFile: verbs, encoding: .utf8).split(separator: "\n")
    #expect(invoked.contains { $0.contains(" create ") })
    #expect(!invoked.contains { $0.contains(" start ") }, "\(invoked)")
  }

  @Test func startThroughTheExecFifoOfAKilledInitFails() throws {
    let box = try ShimSandbox("fifo-dead")
    defer { box.cleanup() }
    try box.writeSpec(["true"])
    var config = box.config()
    config.execFifo = ExecFifo.path(runtimeRoot: box.runtimeRoot, id: box.id)
    let shim = try box.launch(config)
    kill(shim.initPid, SIGKILL)
    #expect {
      try box.client.start()
    } throws: { error in
      // Whichever comes first: the fifo's dead writer, the init's reaped exit, or the
      // shim leaving (nothing left to serve) while the request is in flight.
      let text = "\(error)"
      return text.contains("cannot start a container that has stopped") || text.contains("has exited")
        || error is SystemError
    }
    #expect(try box.client.wait().exitCode == 137)
  }

  /// berthd spawns the shim before the bundle exists and says go once it is written.
  @Test func aSpawnedShimCreatesOnlyOnGo() throws {
    let box = try ShimSandbox("go")
    defer { box.cleanup() }
    let pending = try ShimClient.spawn(box.config(), shimBinary: ShimFixtures.shimBinary)
    box.shimPIDs.append(pending.pid)
    // The shim is up and waiting: no container yet, and the bundle is written only now.
    #expect(ShimFixtures.eventually { FileManager.default.fileExists(atPath: box.stateDir + "/shim.sock") })
    #expect(!FileManager.default.fileExists(atPath: box.runtimeRoot + "/" + box.id))
    try box.writeSpec(["sh", "-c", "echo after-go"])
    let shim = try pending.proceed()
    #expect(shim.pid == pending.pid)
    try box.client.start()
    #expect(try box.client.wait().exitCode == 0)
    #expect(try box.logEntries().map(\.log) == ["after-go\n"])
  }

  @Test func anAbandonedShimExitsWithoutCreating() throws {
    let box = try ShimSandbox("abandon")
    defer { box.cleanup() }
    try box.writeSpec(["true"])
    let pending = try ShimClient.spawn(box.config(), shimBinary: ShimFixtures.shimBinary)
    box.shimPIDs.append(pending.pid)
    pending.abandon()
    #expect(ShimFixtures.eventually { !FileManager.default.fileExists(atPath: "/proc/\(pending.pid)") })
    #expect(!FileManager.default.fileExists(atPath: box.runtimeRoot + "/" + box.id))
    #expect(!FileManager.default.fileExists(atPath: box.stateDir + "/shim.sock"))
    #expect(!FileManager.default.fileExists(atPath: box.stateDir + "/shim.pid"))
  }
}
