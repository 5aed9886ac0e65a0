#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace quarry {

template <typename T>
class Registry {
 public:
  void add(const std::string& name, T value) { items_[name] = std::move(value); }

  const T* find(const std::string& name) const {
    auto it = items_.find(name);
    return it == items_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, T> items_;
};

}  // namespace quarry

int main() {
  quarry::Registry<std::vector<int>> registry;
  registry.add("primes", {2, 3, 5, 7});
  if (const auto* primes = registry.find("primes")) {
    for (int p : *primes) {
      std::cout << p << ' ';
    }
  }
  auto ptr = std::make_unique<int>(42);
  std::cout << *ptr << std::endl;
  return 0;
}
