import EventLog

/// The versions of a few streams, read in the same query as a credential (one round trip for
/// the caller's session and for whether the server's roster and policy caches are current).
enum StreamVersions {
    /// The streams as a `text[]` literal. A stream id holds only letters, digits and `_ - . :`
    /// (``StreamID``), never a character an array literal would treat specially.
    static func array(_ streams: [StreamID]) -> String {
        "{" + streams.map(\.rawValue).joined(separator: ",") + "}"
    }

    /// Over `unnest(array) WITH ORDINALITY AS u(s, n)`: each stream's version (0 when it has
    /// no events), comma-separated in the order given.
    static let aggregate =
        "string_agg(coalesce((SELECT max(e.stream_version) FROM muster.events AS e WHERE e.stream_id = u.s), 0)::text, ',' ORDER BY u.n)"

    static func decode(_ text: String?, count: Int) -> [Int] {
        let versions = (text ?? "").split(separator: ",").map { Int($0) ?? 0 }
        return versions.count == count ? versions : Array(repeating: 0, count: count)
    }
}
