ITEMS = [(99, "Throwaway", "throwaway:home", "throwaway_open")]
