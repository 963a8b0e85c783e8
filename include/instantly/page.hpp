// Cursor pagination over the API's list endpoints.
//
// Every list answers `{"items": [...], "next_starting_after": "..."}` and takes
// the cursor back as `starting_after` — in the query string for GET lists, in
// the JSON body for `POST /api/v2/leads/list`. The last page may still carry a
// cursor, and the page after it is empty, so iteration stops at an empty page
// or a missing cursor. A cursor seen before means the server would send us
// round in circles: that throws `PaginationError` instead of looping. An answer
// without `items` is not a page (nor an empty one): that throws `DecodeError`.
//
// Thread-safety: a Paginator is a single-pass range owned by one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "instantly/error.hpp"

namespace instantly {

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_starting_after;

  /// Whether asking for another page can return anything.
  bool has_next_page() const { return !items.empty() && next_starting_after.has_value(); }
};

template <class T>
class Paginator {
 public:
  /// Fetches the page that starts after `cursor` (no cursor = the first page).
  using FetchPage = std::function<Page<T>(const std::optional<std::string>& cursor)>;

  explicit Paginator(FetchPage fetch, std::optional<std::string> starting_after = std::nullopt)
      : state_(std::make_shared<State>(std::move(fetch), std::move(starting_after))) {}

  /// Fetches just the first page, for manual paging.
  Page<T> first_page() const { return state_->fetch(state_->start); }

  class PageRange;
  /// The pages themselves, fetched lazily (an input range of `Page<T>`).
  PageRange pages() const { return PageRange(state_); }

  class iterator;
  /// Every item of every page, fetched lazily.
  iterator begin() const { return iterator(state_); }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  struct State {
    State(FetchPage f, std::optional<std::string> s) : fetch(std::move(f)), start(std::move(s)) {}
    FetchPage fetch;
    std::optional<std::string> start;
  };

  // Walks pages in order, remembering every cursor it has sent.
  class Cursor {
   public:
    explicit Cursor(std::shared_ptr<State> state) : state_(std::move(state)), next_(state_->start) {
      if (next_) seen_.insert(*next_);
    }
    /// The next page, or nothing once the listing is exhausted.
    std::optional<Page<T>> next() {
      if (done_) return std::nullopt;
      Page<T> page = state_->fetch(next_);
      if (page.items.empty()) {
        done_ = true;
        return std::nullopt;
      }
      if (!page.next_starting_after) {
        done_ = true;
      } else if (!seen_.insert(*page.next_starting_after).second) {
        // The cursor is not quoted: it is the server's text, and a hostile or broken
        // one may echo the request (the key included) as its cursor.
        throw PaginationError("the server repeated a pagination cursor it had already sent; "
                              "stopping instead of fetching the same pages forever");
      }
      next_ = page.next_starting_after;
      return page;
    }

   private:
    std::shared_ptr<State> state_;
    std::optional<std::string> next_;
    std::set<std::string> seen_;
    bool done_ = false;
  };

 public:
  class PageRange {
   public:
    class iterator {
     public:
      using value_type = Page<T>;
      using difference_type = std::ptrdiff_t;
      iterator() = default;
      explicit iterator(std::shared_ptr<State> state)
          : cursor_(std::make_shared<Cursor>(std::move(state))) {
        advance();
      }
      const Page<T>& operator*() const { return *page_; }
      const Page<T>* operator->() const { return &*page_; }
      iterator& operator++() {
        advance();
        return *this;
      }
      void operator++(int) { advance(); }
      friend bool operator==(const iterator& it, std::default_sentinel_t) { return !it.page_; }

     private:
      void advance() { page_ = cursor_->next(); }
      std::shared_ptr<Cursor> cursor_;
      std::optional<Page<T>> page_;
    };

    explicit PageRange(std::shared_ptr<State> state) : state_(std::move(state)) {}
    iterator begin() const { return iterator(state_); }
    std::default_sentinel_t end() const noexcept { return {}; }

   private:
    std::shared_ptr<State> state_;
  };

  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(std::shared_ptr<State> state) : pages_(std::move(state)) { settle(); }
    const T& operator*() const { return pages_->items[index_]; }
    const T* operator->() const { return &pages_->items[index_]; }
    iterator& operator++() {
      ++index_;
      settle();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) {
      return it.pages_ == std::default_sentinel;
    }

   private:
    // Moves to the next page once the current one is used up.
    void settle() {
      while (pages_ != std::default_sentinel && index_ >= pages_->items.size()) {
        ++pages_;
        index_ = 0;
      }
    }
    typename PageRange::iterator pages_;
    std::size_t index_ = 0;
  };

 private:
  std::shared_ptr<State> state_;
};

}  // namespace instantly
