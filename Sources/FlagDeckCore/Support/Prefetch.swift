import Foundation

/// Produces items `0..<count` in order on a thread of its own, at most `ahead` beyond the
/// one the consumer is on, so that reading and parsing the next document overlaps with
/// recording the last one. The producer thread holds the prefetcher until it is done, so
/// a consumer that stops early must `cancel`: the producer then stops after its current item.
final class Prefetch<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Int: T] = [:]
    private var consumed = 0
    private var cancelled = false
    let count: Int

    init(count: Int, ahead: Int = 1, _ produce: @escaping @Sendable (Int) -> T) {
        self.count = count
        guard count > 0 else { return }
        let t = Thread { [self] in
            for i in 0..<count {
                condition.lock()
                while !cancelled && i > consumed + ahead { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { return }
                let item = produce(i)
                condition.lock()
                items[i] = item
                condition.broadcast()
                condition.unlock()
            }
        }
        t.stackSize = 1 << 20
        t.start()
    }

    /// Item `i` (they must be taken in order), waiting for it if need be.
    func take(_ i: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while items[i] == nil { condition.wait() }
        consumed = i + 1
        condition.broadcast()
        return items.removeValue(forKey: i)!
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
