import EventLog
import EventLogPostgres
import EventLogTesting
import Foundation
import Postgres
import Testing

/// A superuser who knows the algorithms, with triggers off, rewrites history consistently:
/// every seal ever taken, its signature, or a hash published outside still catches it.
@Suite struct SealTamperingTests {
    /// Recomputes one stream's chain from `fromVersion` on, as the database would have hashed it
    /// (format 3): the rewrite is consistent in itself.
    static func rechain(_ stream: String, from version: Int) -> PostgresQuery {
        """
        DO $$
        DECLARE
            _event record;
            _prev bytea;
        BEGIN
            FOR _event IN SELECT * FROM muster.events WHERE stream_id = '\(unsafeSQL: stream)' AND stream_version >= \(unsafeSQL: String(version))
                          ORDER BY stream_version LOOP
                SELECT hash INTO _prev FROM muster.events WHERE stream_id = _event.stream_id AND stream_version = _event.stream_version - 1;
                UPDATE muster.events SET prev_hash = _prev, hash = sha256(
                    _prev || muster.event_content(stream_id, stream_version, event_id, event_type, schema_version, data, metadata, occurred_at)
                    || int8send((extract(epoch FROM recorded_at) * 1000000)::bigint)
                    || int4send(octet_length(convert_to(agency, 'UTF8'))) || convert_to(agency, 'UTF8'))
                WHERE stream_id = _event.stream_id AND stream_version = _event.stream_version;
            END LOOP;
        END
        $$
        """
    }

    @Test("a consistent rewrite of sealed history on a stream that grew afterwards is found, even after a new seal")
    func consistentRewriteOfSealedHistory() async throws {
        try await AuditTests.withLog { setup, client, audit in
            let sealed = try await audit.seal()
            let stream = setup.streams[0]
            let store = try await setup.database.store()
            _ = try await store.append(Fixtures.events(2), to: stream, expectedVersion: .exact(4))
            await store.close()
            try await AuditTests.tamper(
                client,
                [
                    "UPDATE muster.events SET data = '{\"n\": 99}' WHERE stream_id = \(stream.rawValue) AND stream_version = 2",
                    Self.rechain(stream.rawValue, from: 2),
                ])
            // The chain itself is consistent now; only the seal still remembers version 4.
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.edited], "\(report.findings)")
            #expect(report.findings.first?.stream == stream.rawValue)
            #expect(report.findings.first?.version == 4)
            #expect(report.findings.first?.detail.contains("differs from what seal \(sealed.id) sealed") == true)
            // A new seal over the rewritten log does not bless it: the first seal still stands.
            _ = try await audit.seal()
            let again = try await audit.verify()
            #expect(again.findings.map(\.kind) == [.edited])
        }
    }

    @Test("a stream deleted whole, then sealed over, is found")
    func deletedStreamThenSealed() async throws {
        try await AuditTests.withLog { setup, client, audit in
            _ = try await audit.seal()
            let stream = setup.streams[2].rawValue
            try await AuditTests.tamper(client, ["DELETE FROM muster.events WHERE stream_id = \(stream)"])
            _ = try await audit.seal()
            let report = try await audit.verify()
            #expect(report.findings.map(\.kind) == [.removed])
            #expect(report.findings.first?.stream == stream)
            #expect(report.findings.first?.detail.contains("the whole stream is gone") == true)
        }
    }

    @Test("rewritten seal rows, recomputed to be consistent, fail their signature and the published hash")
    func rewrittenSeals() async throws {
        try await AuditTests.withLog { setup, client, audit in
            let key = SealSigningKey.generate()
            let published = try await audit.seal(signingKey: key)
            #expect(try await audit.verify(verifyingKey: key.verifyingKey).ok)
            // Rewrite an event and the seal over it: new head, digest and seal hash, all consistent.
            let stream = setup.streams[1].rawValue
            try await AuditTests.tamper(
                client,
                [
                    "UPDATE muster.events SET data = '{\"n\": 77}' WHERE stream_id = \(stream) AND stream_version = 4",
                    Self.rechain(stream, from: 4),
                    "UPDATE muster.seal_heads AS h SET hash = e.hash FROM muster.events AS e WHERE e.stream_id = h.stream_id AND e.stream_version = h.stream_version",
                ])
            let heads = try await client.rows("SELECT stream_id, stream_version, hash FROM muster.seal_heads WHERE seal_id = \(published.id)") {
                SealHash.Head(
                    stream: try $0.decode(String.self, row: $1, column: 0), version: try $0.decode(Int.self, row: $1, column: 1),
                    hash: try $0.decode(PostgresBytes.self, row: $1, column: 2).bytes)
            }
            let (micros, horizon, streams, events) = try await client.withConnection {
                try $0.query(
                    "SELECT (extract(epoch FROM sealed_at) * 1000000)::bigint, horizon, stream_count, event_count FROM muster.seals WHERE seal_id = \(published.id)"
                ).decodeRow(0, as: Int64.self, PostgresTransactionID.self, Int64.self, Int64.self)
            }
            let digest = SealHash.digest(heads: heads)
            let forged = SealHash.chainV2(
                previous: EventHash.genesis, digest: digest, sealedAtMicros: micros, horizon: horizon.rawValue, streamCount: streams,
                eventCount: events)
            try await AuditTests.tamper(
                client,
                [
                    "UPDATE muster.seals SET heads_digest = \(PostgresBytes(digest)), seal_hash = \(PostgresBytes(forged)) WHERE seal_id = \(published.id)"
                ])
            #expect(try await audit.verify().ok)  // consistent, for anyone without the key or the published hash
            let signed = try await audit.verify(verifyingKey: key.verifyingKey)
            #expect(signed.findings.map(\.kind) == [.sealBroken])
            #expect(signed.findings.first?.detail.contains("signature that does not verify") == true, "\(signed.findings)")
            let anchored = try await audit.verify(expectedSeal: HexBytes.decode(published.hash))
            #expect(anchored.findings.map(\.kind) == [.sealMissing])
        }
    }

    @Test("events and seals truncated together and rebuilt are caught by the published hash and the signature")
    func truncatedAndRebuilt() async throws {
        try await AuditTests.withLog { setup, client, audit in
            let key = SealSigningKey.generate()
            let published = try await audit.seal(signingKey: key)
            try await AuditTests.tamper(client, ["DELETE FROM muster.seal_heads", "DELETE FROM muster.seals", "DELETE FROM muster.events"])
            let store = try await setup.database.store()
            _ = try await store.append(Fixtures.events(3), to: Fixtures.stream(), expectedVersion: .noStream)
            await store.close()
            _ = try await audit.seal()
            #expect(try await audit.verify().ok)
            let anchored = try await audit.verify(expectedSeal: HexBytes.decode(published.hash))
            #expect(anchored.findings.map(\.kind) == [.sealMissing])
            let signed = try await audit.verify(verifyingKey: key.verifyingKey)
            #expect(signed.findings.map(\.detail) == ["seal 2 is not signed"])
        }
    }
}
