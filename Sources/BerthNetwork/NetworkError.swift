/// Errors of the network layer the daemon shows to clients.
public enum NetworkError: Error, Equatable, CustomStringConvertible {
  case tool(String, status: Int32, output: String, input: String)
  case missingTool(String)
  case portAllocated(proto: String, address: String, port: UInt16)
  case unknownNetwork(String)
  case networkExists(String)
  case activeEndpoints(String, count: Int)
  case notAttached(container: String, network: String)
  case alreadyAttached(container: String, network: String)
  case invalidPorts(String)

  public var description: String {
    switch self {
    case .tool(let tool, let status, let output, _): "\(tool) failed (exit \(status)): \(output)"
    case .missingTool(let tool): "\(tool) not found (install \(tool == "nft" ? "nftables" : tool))"
    case .portAllocated(_, let address, let port): "Bind for \(address):\(port) failed: port is already allocated"
    case .unknownNetwork(let n): "network \(n) not found"
    case .networkExists(let n): "network with name \(n) already exists"
    case .activeEndpoints(let n, let count): "error while removing network: network \(n) has \(count) active endpoints"
    case .notAttached(let c, let n): "container \(c) is not connected to network \(n)"
    case .alreadyAttached(let c, let n): "endpoint with name \(c) already exists in network \(n)"
    case .invalidPorts(let why): why
    }
  }
}
