// The distribution area: pulls and pushes through the registry client (one per daemon: it
// keeps tokens and shares the downloads of two pulls of one image), and `docker login`.
// Credentials come with each request (X-Registry-Auth): berthd reads no config.json.
import EngineAPI
import FoundationEssentials
import Images
import OCI
import Registry
import Synchronization

public struct DistributionArea: DistributionBackend, EngineArea {
  public let context: EngineContext
  private let holder: RegistryClientHolder

  init(context: EngineContext) {
    self.context = context
    InterruptedPulls.removeLeftovers(context.images)
    holder = RegistryClientHolder(
      RegistryClientConfiguration(
        transport: context.config.registryTransport, userAgent: "berth/\(BerthVersion.version)",
        log: { DaemonLog.engine.info("registry: \($0)") }))
  }

  /// Made at the first pull, push or login: an engine that never reaches a registry
  /// opens no HTTP client.
  var client: RegistryClient { holder.client }

  public func pullImage(options: ImagePullOptions) async throws -> AsyncThrowingStream<ProgressMessage, any Error> {
    let reference = try Self.reference(options.fromImage, tag: options.tag)
    let platform = try options.platform.flatMap { $0.isEmpty ? nil : try Self.platform($0) }
    let auth = try Self.credentials(options.registryAuth)
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: ProgressMessage.self)
    let (client, store, area) = (client, images, self)
    // Not cancelled when the client goes: the pull runs to its end (dockerd's too), so the
    // blobs it verified are kept and a second pull finds them.
    Task {
      do {
        let progress: ProgressHandler = { continuation.yield(Self.message($0)) }
        // A name without a tag or digest: every tag, as dockerd.
        let pulled =
          options.fromImage.contains(":") || options.fromImage.contains("@") || !(options.tag ?? "").isEmpty
          ? [
            try await client.pull(reference: reference, platform: platform, auth: auth, into: store, progress: progress)
          ]
          : try await client.pullAllTags(
            repository: reference, platform: platform, auth: auth, into: store, progress: progress)
        // The client's progress ends with docker's "Digest:" and "Status:" lines.
        for image in pulled {
          let shown = image.reference.familiarString
          area.emit("image", "pull", id: shown, ["name": shown])
        }
        continuation.finish()
      } catch {
        continuation.finish(throwing: Self.engineError(error))
      }
    }
    return stream
  }

  public func pushImage(name: String, tag: String?, registryAuth: String?) async throws
    -> AsyncThrowingStream<ProgressMessage, any Error>
  {
    let reference = try Self.reference(name, tag: tag)
    let auth = try Self.credentials(registryAuth)
    guard (try? images.image(reference.description)) != nil else {
      throw EngineError.notFound("An image does not exist locally with the tag: \(reference.familiarName)")
    }
    let (stream, continuation) = AsyncThrowingStream.makeStream(of: ProgressMessage.self)
    let (client, store, area) = (client, images, self)
    Task {
      do {
        // The client's progress ends with docker's "<tag>: digest: … size: …" line.
        try await client.push(
          reference: reference, auth: auth, from: store, progress: { continuation.yield(Self.message($0)) })
        area.emit("image", "push", id: reference.familiarString, ["name": reference.familiarString])
        continuation.finish()
      } catch {
        continuation.finish(throwing: Self.engineError(error))
      }
    }
    return stream
  }

  public func authenticate(_ request: AuthConfigRequest) async throws -> AuthResponse {
    let header = RegistryAuthHeader(
      username: request.username, password: request.password, serveraddress: request.serveraddress,
      identitytoken: request.identitytoken, registrytoken: request.registrytoken)
    var credentials = header.credentials
    if credentials.isEmpty, let auth = request.auth {
      var withAuth = header
      withAuth.auth = auth
      credentials = withAuth.credentials
    }
    do {
      let status = try await client.login(
        registry: Self.registry(ofServerAddress: request.serveraddress ?? ""), credentials: credentials)
      return AuthResponse(status: status)
    } catch {
      throw Self.engineError(error)
    }
  }

  public func distributionInspect(name: String, registryAuth: String?) async throws -> DistributionInspect {
    let reference = try Self.reference(name, tag: nil)
    do {
      let info = try await client.inspect(reference: reference, auth: try Self.credentials(registryAuth))
      let descriptor = info.manifest.descriptor
      return DistributionInspect(
        descriptor: DistributionInspect.DescriptorInfo(
          mediaType: descriptor.mediaType, digest: descriptor.digest.description, size: descriptor.size),
        platforms: info.platforms.map {
          DistributionInspect.PlatformInfo(architecture: $0.architecture, os: $0.os, variant: $0.variant)
        })
    } catch {
      throw Self.engineError(error)
    }
  }
}

/// The area's one registry client. An HTTP client must be shut down before it goes, so an
/// engine that is let go (in-process tests) hands it to a task that shuts it down.
final class RegistryClientHolder: Sendable {
  private let configuration: RegistryClientConfiguration
  private let made = Mutex<RegistryClient?>(nil)

  init(_ configuration: RegistryClientConfiguration) { self.configuration = configuration }

  var client: RegistryClient {
    made.withLock { made in
      if let client = made { return client }
      let client = RegistryClient(configuration: configuration)
      made = client
      return client
    }
  }

  deinit {
    guard let client = made.withLock({ $0 }) else { return }
    Task.detached {
      do {
        try await client.shutdown()
      } catch {
        DaemonLog.engine.warning("registry client shutdown: \(error)")
      }
    }
  }
}
