internal import CLibPQ

extension PostgresConnection {
    /// Runs `COPY ... TO STDOUT` and hands each chunk (one row in text format) to `onChunk`.
    /// COPY takes no bound parameters, so the SQL must be the program's own text.
    ///
    /// - Returns: the number of bytes received.
    @discardableResult
    public func copyOut(unsafeSQL sql: String, _ onChunk: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_OUT, "COPY TO STDOUT")
        var total = 0
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                total += Int(length)
                if failure == nil {
                    do { try onChunk(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch { failure = error }
                }
            } else if length == -1 {
                break
            } else {
                throw connectionError(sql: sql)
            }
        }
        try drainResults(sql: sql)
        if let failure { throw failure }
        return total
    }

    /// Runs `COPY ... FROM STDIN`; `produce` writes rows (COPY text format) with the closure
    /// it is given. All rows arrive in one statement: an error anywhere loads nothing.
    public func copyIn(unsafeSQL sql: String, _ produce: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws {
        try startCopy(sql, expecting: PGRES_COPY_IN, "COPY FROM STDIN")
        do {
            try produce { bytes in
                let sent = bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
                }
                guard sent == 1 else { throw self.connectionError(sql: sql) }
            }
        } catch {
            _ = PQputCopyEnd(connection, "aborted by the client")
            try? drainResults(sql: sql)
            throw error
        }
        guard PQputCopyEnd(connection, nil) == 1 else { throw connectionError(sql: sql) }
        try drainResults(sql: sql)
    }

    private func startCopy(_ sql: String, expecting expected: ExecStatusType, _ what: String) throws {
        try ensureConnected()
        let start = try check(PQexec(connection, sql), sql: sql)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == expected else {
            throw PostgresError(code: .unexpectedResult, message: "statement did not start \(what)", query: sql)
        }
    }

    /// Reads results until libpq has none left, throwing the first error.
    func drainResults(sql: String?) throws {
        var firstError: (any Error)?
        while let result = PQgetResult(connection) {
            do { PQclear(try check(result, sql: sql)) } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
    }
}
