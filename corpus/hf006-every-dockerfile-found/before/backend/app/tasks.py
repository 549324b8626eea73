def send_receipt(order: int) -> str:
    return f"receipt {order}"
