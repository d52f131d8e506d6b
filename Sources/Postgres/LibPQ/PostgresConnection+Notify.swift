internal import CLibPQ
import Glibc

/// A notification received from `LISTEN`.
public struct PostgresNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
    public var backendPID: Int32
}

extension PostgresConnection {
    /// Starts listening on `channel` (letters, digits and underscores only, since a channel
    /// is an identifier and cannot be a bound parameter). Survives reconnects.
    public func listen(_ channel: String) throws {
        try simpleQuery("LISTEN \(try Self.quotedChannel(channel))")
        listeningChannels.insert(channel)
    }

    public func unlisten(_ channel: String) throws {
        try simpleQuery("UNLISTEN \(try Self.quotedChannel(channel))")
        listeningChannels.remove(channel)
    }

    /// Sends a notification; the payload is a bound parameter.
    public func notify(_ channel: String, payload: String = "") throws {
        try query("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Waits on the connection's socket until a notification arrives or `timeout` passes.
    /// Returns what arrived (possibly nothing). Blocks the calling thread.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        try ensureConnected()
        var received = try drainNotifications()
        if !received.isEmpty { return received }
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready > 0 {
            received = try drainNotifications()
        }
        return received
    }

    private func drainNotifications() throws -> [PostgresNotification] {
        guard PQconsumeInput(connection) == 1 else { throw connectionError(sql: nil) }
        var received: [PostgresNotification] = []
        while let notice = PQnotifies(connection) {
            received.append(
                PostgresNotification(
                    channel: String(cString: notice.pointee.relname),
                    payload: String(cString: notice.pointee.extra),
                    backendPID: notice.pointee.be_pid))
            PQfreemem(notice)
        }
        return received
    }

    static func quotedChannel(_ channel: String) throws -> String {
        let valid =
            !channel.isEmpty && channel.count <= 63
            && channel.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7a).contains($0) }
        guard valid else {
            throw PostgresError(
                code: .invalidArgument, message: "channel name \"\(channel)\" must be lowercase letters, digits and _")
        }
        return "\"\(channel)\""
    }
}
