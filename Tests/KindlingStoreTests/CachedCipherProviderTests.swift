import CSQLCipher
import Foundation
import GRDB
import Testing

@testable import KindlingStore

/// The provider that keeps OpenSSL's contexts per connection (Sources/CSQLCipher/provider.c)
/// must compute exactly what SQLCipher's own computes, page for page, so that a journal written
/// by one reads with the other; and it must be the one the journal's connections use.
@Suite("SQLCipher's page cipher and MAC, with contexts kept per connection")
struct CachedCipherProviderTests {
    /// The bytes SQLCipher encrypts on a 4096-byte page: all but the IV and the HMAC-SHA512.
    static let pageBody = 4096 - 16 - 64

    struct Provider {
        var table = kindling_provider_table()
        var context: UnsafeMutableRawPointer?

        init(cached: Bool) throws {
            #expect(kindling_sqlcipher_provider_for_test(cached ? 1 : 0, &table) == 1)
            #expect(table.ctx_init(&context) == 0)  // SQLITE_OK
        }

        func close() {
            var context = context
            _ = table.ctx_free(&context)
        }

        func cipher(encrypt: Bool, key: [UInt8], iv: [UInt8], _ input: [UInt8]) -> [UInt8] {
            var key = key
            var iv = iv
            var input = input
            var output = [UInt8](repeating: 0, count: input.count)
            let code = table.cipher(context, encrypt ? 1 : 0, &key, Int32(key.count), &iv, &input, Int32(input.count), &output)
            #expect(code == 0)  // SQLITE_OK
            return output
        }

        func mac(_ algorithm: Int32, key: [UInt8], _ input: [UInt8], _ second: [UInt8]?) -> [UInt8] {
            var key = key
            var input = input
            var output = [UInt8](repeating: 0, count: 64)
            let code: Int32
            if var second {
                code = table.hmac(
                    context, algorithm, &key, Int32(key.count), &input, Int32(input.count), &second, Int32(second.count), &output)
            } else {
                code = table.hmac(context, algorithm, &key, Int32(key.count), &input, Int32(input.count), nil, 0, &output)
            }
            #expect(code == 0)  // SQLITE_OK
            return Array(output.prefix([20, 32, 64][Int(algorithm)]))
        }
    }

    private func bytes(_ count: Int, _ generator: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    @Test func everyPageIsEncryptedDecryptedAndSignedAsSQLCipherItselfDoes() throws {
        var generator = SystemRandomNumberGenerator()
        let stock = try Provider(cached: false)
        let cached = try Provider(cached: true)
        defer {
            stock.close()
            cached.close()
        }
        // Two keys taking turns on one connection's contexts, as a rekey or an attached file does.
        let keys = [bytes(32, &generator), bytes(32, &generator)]
        let macKeys = [bytes(32, &generator), bytes(32, &generator)]
        for round in 0..<200 {
            let key = keys[round % 3 == 0 ? 1 : 0]
            let iv = bytes(16, &generator)
            let page = bytes(round % 5 == 0 ? 1024 - 80 : Self.pageBody, &generator)
            let sealed = cached.cipher(encrypt: true, key: key, iv: iv, page)
            #expect(sealed == stock.cipher(encrypt: true, key: key, iv: iv, page))
            #expect(sealed != page)
            #expect(cached.cipher(encrypt: false, key: key, iv: iv, sealed) == page)
            #expect(stock.cipher(encrypt: false, key: key, iv: iv, sealed) == page)

            let macKey = macKeys[round % 4 == 0 ? 1 : 0]
            let pageNumber = withUnsafeBytes(of: UInt32(round).littleEndian) { Array($0) }
            for algorithm: Int32 in 0...2 {
                let second: [UInt8]? = round % 7 == 0 ? nil : pageNumber
                #expect(cached.mac(algorithm, key: macKey, sealed, second) == stock.mac(algorithm, key: macKey, sealed, second))
            }
        }
    }

    @Test func theJournalsConnectionsUseItAgainAfterEveryConnectionClosed() throws {
        let scratch = try ScratchFolder()
        let path = scratch.path("journal.sqlite")
        let key = JournalKey.random()
        for round in 0..<3 {
            // Between rounds every keyed connection of the journal is closed; SQLCipher lets go
            // of a registered provider when its last one closes, unless one is kept open.
            let db = try AppDatabase.open(path: path, key: key)
            _ = try db.saveNote(text: "round \(round)", kind: .given, at: t0, localDate: "2025-11-21")
            let writer = try db.dbWriter.write { db in try String.fetchOne(db, sql: "PRAGMA cipher_provider") }
            let reader = try db.dbWriter.read { db in try String.fetchOne(db, sql: "PRAGMA cipher_provider") }
            #expect(writer == KINDLING_SQLCIPHER_PROVIDER_NAME)
            #expect(reader == KINDLING_SQLCIPHER_PROVIDER_NAME)
            try db.close()
        }
        let db = try AppDatabase.open(path: path, key: key)
        defer { try? db.close() }
        let texts = try db.dbWriter.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes ORDER BY id") }
        #expect(texts == ["round 0", "round 1", "round 2"])
    }
}
